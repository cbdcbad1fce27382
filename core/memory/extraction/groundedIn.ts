import { normaliseMemoryText } from '../normaliseMemoryText.js';

const filler = new Set(['the', 'and', 'for', 'that', 'this', 'with', 'are', 'was', 'our', 'who', 'has', 'have', 'use', 'uses', 'used', 'they', 'their', 'team', 'said', 'says', 'from', 'now', 'not', 'but', 'its', 'his', 'her', 'she', 'him', 'you', 'your', 'person', 'user', 'prefers', 'likes', 'wants']);

const words = (text: string) => normaliseMemoryText(text).split(' ').filter((word) => word.length >= 3 && !filler.has(word));

/**
 * Whether an extracted memory comes from what the person said: most of its
 * meaningful words must be in their message (or their name). A memory built
 * from the colleague's reply, a recalled note or a system prompt the person
 * did not repeat fails this, and so does one the model made up.
 */
export function groundedIn(memory: string, said: string, speaker: string | null): boolean {
  const own = new Set([...words(said), ...(speaker ? words(speaker) : [])]);
  const needed = words(memory);
  if (needed.length === 0) return false;
  const found = needed.filter((word) => own.has(word) || own.has(word.replace(/s$/, '')) || own.has(`${word}s`)).length;
  return found / needed.length >= 0.6;
}
