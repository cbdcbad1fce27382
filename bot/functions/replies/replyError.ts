import { DiscordAPIError, MessageFlags, type CommandInteraction, type MessageComponentInteraction } from 'discord.js';
import { toUserMessage } from '../../../core/errors.js';
import { describeDiscordError } from '../discord/discordErrors.js';
import { replyOrFallback } from './replyOrFallback.js';

/** One ephemeral line saying what went wrong, whatever state the interaction is in (past 15 minutes: in the channel). */
export async function replyError(interaction: CommandInteraction | MessageComponentInteraction, error: unknown): Promise<void> {
  const content = `⚠️ ${error instanceof DiscordAPIError ? describeDiscordError(error) : toUserMessage(error)}`.slice(0, 2000);
  if (interaction.deferred || interaction.replied) await replyOrFallback(interaction, content);
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
