import type { FakeMessage } from './types.js';

/**
 * Word-ish tokens: a run of letters and digits, or of punctuation, with the
 * whitespace before it. Joined back they give the text exactly, and JSON
 * streams in many small pieces as it does from a real model.
 */
export function tokenize(text: string): string[] {
  return text.match(/\s*(?:[\p{L}\p{N}_']+|[^\p{L}\p{N}_'\s]+)|\s+/gu) ?? [];
}

/** About four characters a token, as for English on Llama tokenizers, so a growing prompt shows in the count. */
export function promptTokenCount(messages: FakeMessage[]): number {
  const characters = messages.reduce((sum, message) => sum + message.content.length, 0);
  return Math.max(1, Math.ceil(characters / 4));
}
