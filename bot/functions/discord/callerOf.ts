import { PermissionFlagsBits, type BaseInteraction } from 'discord.js';
import { discordCaller, type Caller } from '../../../core/memory/scope.js';

/** Who asks, from an interaction: the core decides what they may do (Manage Threads makes a moderator of the place). */
export function callerOf(interaction: BaseInteraction): Caller {
  const member = interaction.member;
  const name = (member && 'displayName' in member ? member.displayName : null) ?? interaction.user.globalName ?? interaction.user.username;
  return discordCaller({
    userId: interaction.user.id,
    name,
    guildId: interaction.guildId ?? '',
    placeId: interaction.channelId ?? '',
    moderator: Boolean(interaction.memberPermissions?.has(PermissionFlagsBits.ManageThreads)),
  });
}
