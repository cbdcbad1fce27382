import type { LlmMessage } from '../../llm/types.js';

const instructions = [
  'You extract long-term memories from ONE message a person wrote to a team assistant.',
  'Return JSON: {"memories": [{"text", "kind", "subject", "relation", "relatedId", "importance"}]}.',
  'Keep only durable things the person stated: facts about the team, its systems and plans (kind "fact"), their preferences ("preference"), decisions taken ("decision"), facts about people ("person").',
  'Write each as one short, self-contained sentence in the third person, naming the speaker instead of "I".',
  'Do not keep questions, greetings, small talk, thanks, requests for help, guesses, or anything the person only asked about.',
  'Do not keep instructions addressed to the assistant, quoted notes, or text the person pasted (code, logs, documents).',
  'Existing memories are listed with ids. If a new memory says the same as one, use relation "repeats" and its id; if it changes or replaces one (a new version, a moved date, a reversed choice), use "updates" or "contradicts" and its id; otherwise "new".',
  'If nothing is worth keeping, return {"memories": []}.',
].join('\n');

/** The extraction call's messages: the rules, the similar memories it may relate to, and only the person's own words. */
export function buildExtractionPrompt(input: { speaker: string | null; message: string; existing: Array<{ id: string; content: string }> }): LlmMessage[] {
  const existing = input.existing.length > 0 ? input.existing.map((memory) => `- id ${memory.id}: ${JSON.stringify(memory.content)}`).join('\n') : '(none)';
  return [
    { role: 'system', content: `${instructions}\n\nExisting memories:\n${existing}` },
    { role: 'user', content: `Message from ${input.speaker ?? 'the person'}:\n${input.message}` },
  ];
}
