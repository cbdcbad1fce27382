import type { Message } from 'discord.js';
import type { QueueNotice } from './queueStatus.js';

const noMentions = { parse: [] as [], repliedUser: false };

/** The place in line as a reply to the person's message: sent once, edited as it moves, deleted when the answer starts. */
export function messageNotice(message: Message<true>): QueueNotice {
  let note: Message | undefined;
  return {
    async show(text) {
      if (note) await note.edit({ content: text, allowedMentions: noMentions });
      else note = await message.reply({ content: text, allowedMentions: noMentions });
    },
    async clear() {
      const shown = note;
      note = undefined;
      await shown?.delete();
    },
  };
}
