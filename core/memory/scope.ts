import { sql, type SQL } from 'drizzle-orm';
import { userInfo } from 'node:os';
import type { MemoryKind, MemoryVisibility } from '../db/schema.js';

/**
 * Who is asking, and where: every chat, consult and memory carries one.
 * `ownerId` is namespaced: `discord:<user>`, `key:<apiKeyId>`, `cli:<osUser>`, `admin`.
 * `guildId` and `placeId` (channel or thread) are set for Discord only.
 */
export interface Caller {
  ownerId: string;
  /** The name personas address and show on stored messages; null where none is known (API keys, the CLI). */
  name: string | null;
  guildId: string | null;
  placeId: string | null;
  /** May manage threads where they are (Discord's Manage Threads): steers any meeting of their server. */
  moderator?: boolean;
  /** May manage the Discord server (Manage Server): edits and deletes any memory kept in it. */
  manager?: boolean;
  /** Where in the server (Discord): the thread if any, its channel, the channel's category; settings are inherited along it. */
  place?: DiscordPlace;
  /** Their Discord roles in the server: a place's allow and block lists name them. */
  roleIds?: readonly string[];
  /** Discord's Manage Server: may change the settings of the server and its categories. */
  manageServer?: boolean;
  /** Discord's Manage Channels where they are: may change the settings of this channel and its threads. */
  manageChannels?: boolean;
}

export interface DiscordPlace {
  threadId: string | null;
  channelId: string | null;
  categoryId: string | null;
}

/** Where a memory belongs and who may recall it: the columns of the same names on `memories`. */
export interface MemoryScope {
  ownerId: string;
  guildId: string | null;
  placeId: string | null;
  visibility: MemoryVisibility;
  /** A short label shown with the memory in prompts. */
  source: string;
}

export const discordCaller = (input: {
  userId: string;
  name: string;
  guildId: string;
  placeId: string;
  moderator?: boolean;
  place?: DiscordPlace;
  roleIds?: readonly string[];
  manageServer?: boolean;
  manageChannels?: boolean;
  manager?: boolean;
}): Caller => ({
  ownerId: `discord:${input.userId}`,
  name: input.name,
  guildId: input.guildId,
  placeId: input.placeId,
  ...(input.moderator ? { moderator: true } : {}),
  ...(input.place ? { place: input.place } : {}),
  ...(input.roleIds ? { roleIds: input.roleIds } : {}),
  ...(input.manageServer ? { manageServer: true } : {}),
  ...(input.manageChannels ? { manageChannels: true } : {}),
  ...(input.manager ? { manager: true } : {}),
});

export const apiKeyCaller = (keyId: string): Caller => ({ ownerId: `key:${keyId}`, name: null, guildId: null, placeId: null });

export const cliCaller = (osUser: string = localUser()): Caller => ({ ownerId: `cli:${osUser}`, name: null, guildId: null, placeId: null });

export const adminCaller: Caller = { ownerId: 'admin', name: null, guildId: null, placeId: null };

function localUser(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}

/** A bare Discord user id (what /admin/users/:id and Discord hand over) as an owner id; namespaced ids pass through. */
export function ownerIdOf(id: string): string {
  return id === 'admin' || id.includes(':') ? id : `discord:${id}`;
}

/**
 * The conversation a caller continues: sessions are namespaced by their owner,
 * so two API keys (or two OS users) naming the same session get two
 * conversations. Discord scopes are already keyed by channel, thread or user;
 * they are namespaced by guild.
 */
export function conversationScope(caller: Caller, scope: string): string {
  return caller.guildId ? `guild:${caller.guildId}/${scope}` : `${caller.ownerId}/${scope}`;
}

/** What a person says in a channel about the team, its decisions and its people, rather than about their own taste. */
const sharedKinds: ReadonlySet<MemoryKind> = new Set(['fact', 'decision', 'person']);

/**
 * Where what a caller says to an agent is remembered. Outside Discord (API
 * keys, the CLI) a memory stays with its owner. In Discord a fact, a decision
 * or a fact about someone is shared with the channel or thread it was said in
 * (whoever can read there already saw it said, and "who owns the payments
 * gateway?" or "what did we decide for dashboards?" is asked by someone else);
 * preferences and pasted notes stay with the person, in that server.
 */
export function memoryScopeForChat(caller: Caller, kind: MemoryKind): MemoryScope {
  if (caller.guildId && caller.placeId) {
    const shared = sharedKinds.has(kind);
    return {
      ownerId: caller.ownerId,
      guildId: caller.guildId,
      placeId: caller.placeId,
      visibility: shared ? 'place' : 'owner',
      source: `${caller.name ?? 'someone'}${shared ? ' in this channel' : ', privately'}`,
    };
  }
  return { ownerId: caller.ownerId, guildId: null, placeId: null, visibility: 'owner', source: sourceOf(caller.ownerId) };
}

/**
 * Meeting decisions belong to the meeting's Discord server, or, outside
 * Discord, to whoever created the meeting (an API key, a CLI user). A meeting
 * with no owner (made through the library) belongs to the admin.
 */
export function memoryScopeForMeeting(meeting: { ownerId: string | null; guildId: string | null; title: string }): MemoryScope {
  const source = `meeting "${meeting.title.slice(0, 80)}"`;
  if (meeting.guildId) return { ownerId: meeting.ownerId ?? 'admin', guildId: meeting.guildId, placeId: null, visibility: 'guild', source };
  return { ownerId: meeting.ownerId ?? 'admin', guildId: null, placeId: null, visibility: 'owner', source };
}

/** A team-wide note every speaker recalls: only the admin writes these. */
export function memoryScopeForEveryone(): MemoryScope {
  return { ownerId: 'admin', guildId: null, placeId: null, visibility: 'everyone', source: 'team note from an admin' };
}

function sourceOf(ownerId: string): string {
  if (ownerId.startsWith('key:')) return 'this API key';
  if (ownerId.startsWith('cli:')) return `${ownerId.slice(4)} on the command line`;
  return ownerId === 'admin' ? 'an admin' : 'someone';
}

/**
 * THE recall rule; every recall path (vector and full-text) filters with it
 * and nothing else decides. A caller sees, for one agent:
 * - `owner`: memories they own, written in the same guild (or outside Discord when they are);
 * - `place`: memories of the channel or thread they are in, in the same guild;
 * - `guild`: memories of the Discord server they are in;
 * - `everyone`: team notes written by the admin.
 * docs/security.md has the same rules as a table.
 */
export function recallCondition(agentId: string, caller: Caller): SQL {
  const guild = caller.guildId;
  const place = caller.placeId;
  return sql`(agent_id = ${agentId} and (
    (visibility = 'owner' and owner_id = ${caller.ownerId} and guild_id is not distinct from ${guild}::text)
    or (visibility = 'place' and ${place}::text is not null and place_id = ${place}::text and guild_id is not distinct from ${guild}::text)
    or (visibility = 'guild' and ${guild}::text is not null and guild_id = ${guild}::text)
    or (visibility = 'everyone' and owner_id = 'admin')
  ))`;
}
