import type { CommandInteraction, MessageComponentInteraction } from 'discord.js';
import { isExpiredInteraction } from '../discord/discordErrors.js';

/** Interaction tokens edit for 15 minutes; stop a little before, since the clocks differ. */
const tokenLifeMs = 14.5 * 60_000;
const expired = new WeakSet<object>();

/**
 * Edits the deferred reply while its token lives; past 15 minutes (or once
 * Discord answered 50027 for it) the note goes to the channel instead,
 * addressed by name, and the dead token is never tried again.
 */
export async function replyOrFallback(interaction: CommandInteraction | MessageComponentInteraction, content: string): Promise<void> {
  if (!expired.has(interaction) && Date.now() - interaction.createdTimestamp < tokenLifeMs) {
    try {
      await interaction.editReply({ content, allowedMentions: { parse: [] } });
      return;
    } catch (error) {
      if (!isExpiredInteraction(error)) throw error;
      expired.add(interaction);
    }
  }
  const channel = interaction.channel;
  if (!channel?.isSendable()) return;
  await channel.send({ content: `<@${interaction.user.id}> ${content}`.slice(0, 2000), allowedMentions: { parse: [] } });
}
