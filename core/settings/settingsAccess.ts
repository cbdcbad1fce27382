import { isOperator } from '../meetings/meetingAccess.js';
import type { Caller } from '../memory/scope.js';
import type { SettingScope } from './settingsSchema.js';

/** The id of each level of the caller's own place in Discord. */
function ownPlace(caller: Caller): Record<SettingScope, string | null> {
  return { guild: caller.guildId, category: caller.place?.categoryId ?? null, channel: caller.place?.channelId ?? null, thread: caller.place?.threadId ?? null };
}

/**
 * Who may read a place's settings: the operator (admin token, terminal) any
 * place; a Discord member the levels of the place they are in. Returns what
 * is wrong, or null.
 */
export function readRefusal(caller: Caller, scope: SettingScope, id: string): string | null {
  if (isOperator(caller)) return null;
  if (!caller.ownerId.startsWith('discord:') || !caller.guildId) return 'settings belong to Discord servers: use the admin token, the command line or Discord';
  return ownPlace(caller)[scope] === id ? null : `you can see the settings of a ${scope} only from within it`;
}

/**
 * Who may change them: the operator any place; a Discord member the levels
 * of the place they are in, the server and its categories with Manage
 * Server, a channel and its threads with Manage Channels.
 */
export function changeRefusal(caller: Caller, scope: SettingScope, id: string): string | null {
  const unreadable = readRefusal(caller, scope, id);
  if (unreadable || isOperator(caller)) return unreadable;
  if ((scope === 'guild' || scope === 'category') && !caller.manageServer) return `changing the settings of the ${scope === 'guild' ? 'server' : 'category'} needs Manage Server`;
  if ((scope === 'channel' || scope === 'thread') && !caller.manageChannels) return `changing the settings of a ${scope} needs Manage Channels`;
  return null;
}
