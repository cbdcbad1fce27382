import { and, asc, desc, eq, isNull, lt, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { actionItems, meetings } from '../../db/schema.js';
import type { MeetingRow } from './meetingStore.js';

export type ActionItemRow = typeof actionItems.$inferSelect;
export type ActionItemView = ReturnType<typeof toActionItemView>;

export interface ActionItemFilter {
  status?: 'open' | 'done' | 'all';
  /** Only items this attendee owns (a persona id or a person's speaker id). */
  owner?: string;
  /** Only items of meetings held in this Discord server. */
  guildId?: string;
  /** Only items of meetings this owner created, or that this owner holds. */
  visibleTo?: string;
  meetingId?: string;
  limit?: number;
}

type Joined = { item: ActionItemRow; meeting: { title: string; discordThreadId: string | null } };

export function toActionItemView({ item, meeting }: Joined) {
  return {
    id: item.id,
    meetingId: item.meetingId,
    meetingTitle: meeting.title,
    discordThreadId: meeting.discordThreadId,
    owner: item.owner,
    ownerKind: item.ownerKind,
    ownerName: item.ownerName,
    task: item.task,
    due: item.due,
    status: item.status,
    sourceTurns: item.sourceTurns,
    createdAt: item.createdAt,
    doneAt: item.doneAt,
    doneBy: item.doneBy,
  };
}

/**
 * The part of a title that names a recurring meeting: "Billing sync #4",
 * "Billing sync 2026-05-01" and "Billing sync (week 19)" are all "billing sync".
 */
export function titleKey(title: string): string {
  return title
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/\b(week|sprint|wk|no|part)\b\.?/g, ' ')
    .replace(/[#:\-–—/.,]+/g, ' ')
    .replace(/\b\d[\d\s]*\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Action items as a to-do list that outlives its meeting. */
export class ActionItemStore {
  constructor(private readonly db: Db) {}

  async list(filter: ActionItemFilter = {}): Promise<ActionItemView[]> {
    const where: SQL[] = [];
    if (filter.status !== 'all') where.push(eq(actionItems.status, filter.status ?? 'open'));
    if (filter.owner) where.push(eq(actionItems.owner, filter.owner));
    if (filter.guildId) where.push(eq(meetings.guildId, filter.guildId));
    if (filter.meetingId) where.push(eq(actionItems.meetingId, filter.meetingId));
    if (filter.visibleTo) where.push(or(eq(meetings.ownerId, filter.visibleTo), eq(actionItems.owner, filter.visibleTo)) as SQL);
    const rows = await this.db
      .select({ item: actionItems, meeting: { title: meetings.title, discordThreadId: meetings.discordThreadId } })
      .from(actionItems)
      .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
      .where(and(...where))
      .orderBy(desc(actionItems.createdAt), asc(actionItems.id))
      .limit(Math.min(filter.limit ?? 100, 500));
    return rows.map(toActionItemView);
  }

  /** One item by its id or an unambiguous prefix of it (8 characters or more), among those the filter lets through. */
  async findByRef(ref: string, filter: Omit<ActionItemFilter, 'status'> = {}): Promise<ActionItemView[]> {
    const wanted = ref.trim().toLowerCase();
    if (!/^[0-9a-f-]{8,36}$/.test(wanted)) return [];
    const all = await this.list({ ...filter, status: 'all', limit: 500 });
    return all.filter((item) => item.id.startsWith(wanted));
  }

  /** Marks it done once; false when it was already done. */
  async markDone(id: string, by: string): Promise<boolean> {
    const rows = await this.db
      .update(actionItems)
      .set({ status: 'done', doneAt: new Date(), doneBy: by })
      .where(and(eq(actionItems.id, id), eq(actionItems.status, 'open')))
      .returning({ id: actionItems.id });
    return rows.length > 0;
  }

  /**
   * Open items of earlier meetings that this one follows: the same Discord
   * channel, or (outside Discord) the same recurring title and the same owner,
   * so nothing crosses servers or owners.
   */
  async carriedInto(meeting: MeetingRow, limit = 20): Promise<ActionItemView[]> {
    const place = meeting.discordChannelId
      ? eq(meetings.discordChannelId, meeting.discordChannelId)
      : and(isNull(meetings.discordChannelId), meeting.ownerId ? eq(meetings.ownerId, meeting.ownerId) : isNull(meetings.ownerId));
    const rows = await this.db
      .select({ item: actionItems, meeting: { title: meetings.title, discordThreadId: meetings.discordThreadId } })
      .from(actionItems)
      .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
      .where(and(eq(actionItems.status, 'open'), ne(meetings.id, meeting.id), lt(meetings.createdAt, meeting.createdAt), place))
      .orderBy(asc(actionItems.createdAt))
      .limit(200);
    const key = titleKey(meeting.title);
    return rows
      .filter((row) => meeting.discordChannelId || (key !== '' && titleKey(row.meeting.title) === key))
      .slice(0, limit)
      .map(toActionItemView);
  }
}
