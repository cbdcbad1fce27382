import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../core/errors.js';
import type { Caller } from '../../../core/memory/scope.js';
import type { MessageLink } from '../memory/parseMessageLink.js';
import { callerOf } from './callerOf.js';

/**
 * The asker as they are where a linked message is: a link to another channel
 * of this server is read with their permissions there (what that channel
 * keeps is theirs to see only if they can read it), never with those of the
 * channel the command was typed in.
 */
export async function callerInLinkedChannel(interaction: ChatInputCommandInteraction, link: MessageLink): Promise<Caller> {
  if (link.guildId !== interaction.guildId) throw new CouncilError('forbidden', 'that message is in another server: ask there');
  if (link.channelId === interaction.channelId) return callerOf(interaction);
  if (!interaction.inCachedGuild()) throw new CouncilError('forbidden', 'Council cannot see this server\'s channels yet: try again in a moment');
  const channel = await interaction.guild.channels.fetch(link.channelId).catch(() => null);
  const permissions = channel?.permissionsFor(interaction.member);
  if (!channel || !permissions?.has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory])) {
    throw new CouncilError('forbidden', 'you cannot read the channel of that message, so its answer is not shown to you');
  }
  return callerOf(interaction, { channel, permissions });
}
