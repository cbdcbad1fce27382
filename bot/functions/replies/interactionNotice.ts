import type { ChatInputCommandInteraction } from 'discord.js';
import type { QueueNotice } from '../chat/queueStatus.js';

/** The place in line in the command's own deferred reply; the final reply replaces it. */
export function interactionNotice(interaction: ChatInputCommandInteraction): QueueNotice {
  return {
    async show(text) {
      await interaction.editReply({ content: text, allowedMentions: { parse: [] } });
    },
    async clear() {
      await interaction.editReply({ content: 'Answering…', allowedMentions: { parse: [] } });
    },
  };
}
