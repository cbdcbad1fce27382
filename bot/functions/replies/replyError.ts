import { MessageFlags, type ChatInputCommandInteraction, type MessageComponentInteraction } from 'discord.js';
import { toUserMessage } from '../../../core/errors.js';

/** One ephemeral line saying what went wrong, whatever state the interaction is in. */
export async function replyError(interaction: ChatInputCommandInteraction | MessageComponentInteraction, error: unknown): Promise<void> {
  const content = `⚠️ ${toUserMessage(error)}`.slice(0, 2000);
  if (interaction.deferred || interaction.replied) await interaction.editReply({ content, allowedMentions: { parse: [] } });
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
