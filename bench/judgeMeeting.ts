import { z } from 'zod';
import type { LlmClient } from '../core/llm/llmClient.js';
import type { TurnRow } from '../core/meetings/store/meetingStore.js';

const verdict = z.object({ agrees: z.boolean() });
const { $schema: _drop, ...verdictSchema } = z.toJSONSchema(verdict) as Record<string, unknown>;

/**
 * Conformity: of the colleagues' turns after a topic's first stated view (its
 * first position, or its first contribution), how many the facilitator's
 * model classifies as agreeing with that first view. High means the council
 * echoes whoever spoke first. Returns [agreeing, judged]; an unusable verdict is not counted.
 */
export async function conformity(llm: LlmClient, facilitatorModel: string, turns: readonly TurnRow[]): Promise<[number, number]> {
  let agreeing = 0;
  let judged = 0;
  for (const topicIndex of new Set(turns.map((t) => t.topicIndex))) {
    const spoken = turns.filter((t) => t.topicIndex === topicIndex && t.agentId && ['position', 'contribution', 'dissent'].includes(t.kind));
    const [first, ...rest] = spoken;
    if (!first) continue;
    for (const turn of rest) {
      const answer = await llm.chat({
        lane: 'bench:judge',
        model: facilitatorModel,
        temperature: 0,
        format: verdictSchema,
        maxTokens: 16,
        kind: 'facilitator',
        messages: [
          { role: 'system', content: 'You judge a meeting. Does the second statement agree with the first one\'s recommendation? Answer JSON only: {"agrees": true|false}.' },
          { role: 'user', content: `First statement:\n${first.content}\n\nSecond statement:\n${turn.content}` },
        ],
      });
      const parsed = verdict.safeParse(safeJson(answer.content));
      if (!parsed.success) continue;
      judged++;
      if (parsed.data.agrees) agreeing++;
    }
  }
  return [agreeing, judged];
}

/** Distinctness: the mean cosine distance (1 - cosine similarity) between every two independent positions of a topic, by their embeddings. Returns [sum, pairs]. */
export async function distinctness(llm: LlmClient, turns: readonly TurnRow[]): Promise<[number, number]> {
  let sum = 0;
  let pairs = 0;
  for (const topicIndex of new Set(turns.map((t) => t.topicIndex))) {
    const positions = turns.filter((t) => t.topicIndex === topicIndex && t.kind === 'position');
    if (positions.length < 2) continue;
    const vectors = await llm.embed(positions.map((t) => t.content));
    for (let i = 0; i < vectors.length; i++) {
      for (let j = i + 1; j < vectors.length; j++) {
        sum += cosineDistance(vectors[i]!, vectors[j]!);
        pairs++;
      }
    }
  }
  return [sum, pairs];
}

export function cosineDistance(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
