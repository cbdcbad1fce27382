import type { APIEmbed } from 'discord.js';
import type { WhyView } from '../../../core/memory/memoryAccess.js';
import { memoryLine } from './memoryLine.js';

/** The answer to "Why did you say this?": the memories in prompt order, and how many the asker may not see. */
export function whyEmbed(why: WhyView, colleague: string): APIEmbed {
  const hidden = why.hidden > 0 ? `${why.hidden} more went into it that you may not see (kept privately by someone else, or for another place).` : '';
  const lines = why.memories.map((memory, i) => memoryLine(memory, i + 1));
  const description = lines.length > 0 ? lines.join('\n\n') : `${colleague} used no memories ${why.hidden > 0 ? 'that you may see ' : ''}for this answer: it came from the conversation and the colleague's role alone.`;
  return {
    title: `What ${colleague} remembered for this answer`.slice(0, 256),
    description: description.slice(0, 4096),
    ...(hidden ? { footer: { text: hidden } } : {}),
  };
}
