import { eq, or, sql, type SQL } from 'drizzle-orm';
import { meetings } from '../db/schema.js';
import type { Caller } from '../memory/scope.js';
import type { ActionItemFilter } from './store/actionItemStore.js';

/**
 * Who may see and steer a meeting: decided here, once, from the caller, for
 * every face (as recallCondition does for memories).
 * - The operator (`admin`, a terminal user, who holds the database anyway) sees and steers every meeting.
 * - An API key sees only the meetings it created; any other answers as unknown, so their existence does not leak.
 * - A Discord member sees the meetings of their server, and steers the ones they started, or any there when they
 *   may manage threads (`caller.moderator`).
 */
type MeetingOwnership = { ownerId: string | null; guildId: string | null; requestedBy?: string | null };

export const isOperator = (caller: Caller): boolean => caller.ownerId === 'admin' || caller.ownerId.startsWith('cli:');

const isOwner = (caller: Caller, meeting: MeetingOwnership): boolean =>
  meeting.ownerId === caller.ownerId || (caller.ownerId.startsWith('discord:') && meeting.requestedBy === caller.ownerId.slice('discord:'.length));

export function mayReadMeeting(caller: Caller, meeting: MeetingOwnership): boolean {
  if (isOperator(caller) || isOwner(caller, meeting)) return true;
  return caller.ownerId.startsWith('discord:') && caller.guildId !== null && meeting.guildId === caller.guildId;
}

export function mayControlMeeting(caller: Caller, meeting: MeetingOwnership): boolean {
  if (isOperator(caller) || isOwner(caller, meeting)) return true;
  return Boolean(caller.moderator) && caller.guildId !== null && meeting.guildId === caller.guildId;
}

/** The same read rule as SQL, for lists. */
export function visibleMeetings(caller: Caller): SQL | undefined {
  if (isOperator(caller)) return undefined;
  const own = eq(meetings.ownerId, caller.ownerId);
  if (caller.ownerId.startsWith('discord:') && caller.guildId !== null) return or(own, eq(meetings.guildId, caller.guildId));
  return own ?? sql`false`;
}

/** Action items follow their meetings: the filter that shows a caller only what it may read. */
export function visibleActionItems(caller: Caller): Pick<ActionItemFilter, 'guildId' | 'visibleTo'> {
  if (isOperator(caller)) return {};
  if (caller.ownerId.startsWith('discord:') && caller.guildId !== null) return { guildId: caller.guildId };
  return { visibleTo: caller.ownerId };
}
