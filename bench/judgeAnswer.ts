import { Ollama } from 'ollama';
import { z } from 'zod';

const verdict = z.object({ correct: z.boolean() });
const format = z.toJSONSchema(verdict);

/**
 * Asks a model whether a colleague's answer is right, with structured output:
 * it must say the expected answer (in any words), or, for a question whose
 * answer was never given (`expected` null), say it does not know rather than
 * make one up. Temperature 0, so a rerun judges alike.
 */
export async function judgeAnswer(client: Ollama, model: string, question: string, expected: string | null, answer: string): Promise<boolean> {
  const rule =
    expected === null
      ? 'Nobody ever told the assistant the answer. The answer is correct only if it says it does not know (or has no record of it) instead of giving one.'
      : `The expected answer is: ${expected}. The answer is correct if it gives that answer, in any words, and does not contradict it.`;
  const reply = await client.chat({
    model,
    format,
    options: { temperature: 0 },
    messages: [
      { role: 'system', content: `You judge an assistant's answer to a question about a team. ${rule} Reply with JSON {"correct": true|false}.` },
      { role: 'user', content: `Question: ${question}\n\nAssistant's answer:\n${answer}` },
    ],
  });
  const parsed = verdict.safeParse(JSON.parse(reply.message.content || 'null'));
  return parsed.success && parsed.data.correct;
}
