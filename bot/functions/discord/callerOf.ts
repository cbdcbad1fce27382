import { PermissionFlagsBits, type BaseInteraction, type GuildBasedChannel, type Message, type PermissionsBitField } from 'discord.js';
import { discordCaller, type Caller } from '../../../core/memory/scope.js';
import { speakerOf } from '../chat/speakerOf.js';
import { placeOf } from './placeOf.js';

/** A member's role ids, whether discord.js holds the member or only the API's payload of it. */
function rolesOf(member: unknown): string[] {
  const roles = (member as { roles?: unknown } | null)?.roles;
  if (Array.isArray(roles)) return roles.map(String);
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

/**
 * Who asks, from an interaction: the core decides what they may do (Manage
 * Threads makes a moderator of the place; Manage Server and Manage Channels
 * who may change settings, and Manage Server who may change any memory kept
 * in the server; roles and place which settings apply). `elsewhere`: the
 * channel a command is about instead of where it was typed, with the asker's
 * permissions there.
 */
export function callerOf(interaction: BaseInteraction, elsewhere?: { channel: GuildBasedChannel; permissions: Readonly<PermissionsBitField> }): Caller {
  const member = interaction.member;
  const name = (member && 'displayName' in member ? member.displayName : null) ?? interaction.user.globalName ?? interaction.user.username;
  // Asked about another channel of the server (a message link): the asker as they are there.
  const permissions = elsewhere?.permissions ?? interaction.memberPermissions;
  return discordCaller({
    userId: interaction.user.id,
    name,
    guildId: interaction.guildId ?? '',
    placeId: elsewhere?.channel.id ?? interaction.channelId ?? '',
    moderator: Boolean(permissions?.has(PermissionFlagsBits.ManageThreads)),
    place: placeOf(elsewhere?.channel ?? interaction.channel),
    roleIds: rolesOf(member),
    manageServer: Boolean(permissions?.has(PermissionFlagsBits.ManageGuild)),
    manager: Boolean(permissions?.has(PermissionFlagsBits.ManageGuild)),
    manageChannels: Boolean(permissions?.has(PermissionFlagsBits.ManageChannels)),
  });
}

/** Who speaks, from a message in a server: their roles and place decide what Council does with it. */
export function callerOfMessage(message: Message<true>): Caller {
  const speaker = speakerOf(message.author, message.member);
  return discordCaller({ userId: speaker.id, name: speaker.name, guildId: message.guildId, placeId: message.channel.id, place: placeOf(message.channel), roleIds: rolesOf(message.member) });
}
