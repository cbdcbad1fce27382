import type { LlmMessage } from '../llm/types.js';
import type { HistoryMessage } from '../memory/conversationStore.js';
import type { RecalledMemory } from '../memory/memoryStore.js';
import type { Role } from '../roles/roleSchema.js';
import type { Speaker } from './context.js';

/** Persona, what it remembers, the recent conversation, then the new message. */
export function buildChatPrompt(input: {
  role: Role;
  history: HistoryMessage[];
  memories: RecalledMemory[];
  message: string;
  speaker: Speaker | null;
  now?: Date;
}): LlmMessage[] {
  const context = [`Today is ${(input.now ?? new Date()).toISOString().slice(0, 10)}.`];
  if (input.speaker) context.push(`You are talking with ${input.speaker.name}.`);
  if (input.memories.length > 0) {
    context.push('Things you remember that may be relevant (use them only if they help):');
    for (const memory of input.memories) context.push(`- ${memory.content}`);
  }
  context.push('Answer in Markdown. Be concise and concrete.');
  const messages: LlmMessage[] = [{ role: 'system', content: `${input.role.prompt}\n\n${context.join('\n')}` }];
  for (const entry of input.history) {
    if (entry.role === 'summary') messages.push({ role: 'system', content: `Summary of your earlier conversation: ${entry.content}` });
    else if (entry.role === 'user') messages.push({ role: 'user', content: entry.authorName ? `[${entry.authorName}] ${entry.content}` : entry.content });
    else messages.push({ role: 'assistant', content: entry.content });
  }
  messages.push({ role: 'user', content: input.speaker ? `[${input.speaker.name}] ${input.message}` : input.message });
  return messages;
}
