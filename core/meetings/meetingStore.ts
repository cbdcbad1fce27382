import { and, asc, desc, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { actionItems, decisions, meetings, meetingTurns, type MeetingStatus } from '../db/schema.js';
import type { CallStats } from '../events.js';
import type { Minutes } from './minutesSchema.js';

export type MeetingRow = typeof meetings.$inferSelect;
export type TurnRow = typeof meetingTurns.$inferSelect;
export type TurnKind = TurnRow['kind'];

export interface NewTurn {
  meetingId: string;
  seq: number;
  topicIndex: number;
  round: number;
  agentId: string;
  kind: TurnKind;
  content: string;
  stats: CallStats | null;
}

/** All database access for meetings, their turns, decisions and action items. */
export class MeetingStore {
  constructor(private readonly db: Db) {}

  async create(values: typeof meetings.$inferInsert): Promise<MeetingRow> {
    const [row] = await this.db.insert(meetings).values(values).returning();
    if (!row) throw new Error('meeting insert returned nothing');
    return row;
  }

  async find(id: string): Promise<MeetingRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await this.db.select().from(meetings).where(eq(meetings.id, id));
    return row;
  }

  async findByThread(threadId: string): Promise<MeetingRow | undefined> {
    const [row] = await this.db.select().from(meetings).where(eq(meetings.discordThreadId, threadId)).orderBy(desc(meetings.createdAt)).limit(1);
    return row;
  }

  turns(meetingId: string): Promise<TurnRow[]> {
    return this.db.select().from(meetingTurns).where(eq(meetingTurns.meetingId, meetingId)).orderBy(asc(meetingTurns.seq));
  }

  list(options: { status?: MeetingStatus; limit?: number } = {}): Promise<MeetingRow[]> {
    const query = this.db.select().from(meetings).orderBy(desc(meetings.createdAt)).limit(options.limit ?? 50);
    return options.status ? query.where(eq(meetings.status, options.status)) : query;
  }

  async update(id: string, values: Partial<typeof meetings.$inferInsert>): Promise<void> {
    await this.db.update(meetings).set(values).where(eq(meetings.id, id));
  }

  async heartbeat(id: string, runnerId: string): Promise<void> {
    await this.db.update(meetings).set({ runnerId, heartbeatAt: sql`now()` }).where(eq(meetings.id, id));
  }

  /** Written the moment a turn finishes; the unique (meeting, seq) index refuses a duplicate. */
  async addTurn(turn: NewTurn): Promise<TurnRow> {
    const [row] = await this.db
      .insert(meetingTurns)
      .values({
        meetingId: turn.meetingId,
        seq: turn.seq,
        topicIndex: turn.topicIndex,
        round: turn.round,
        agentId: turn.agentId,
        kind: turn.kind,
        content: turn.content,
        model: turn.stats?.model ?? null,
        promptTokens: turn.stats?.promptTokens ?? null,
        completionTokens: turn.stats?.completionTokens ?? null,
        durationMs: turn.stats?.durationMs ?? null,
        ttftMs: turn.stats?.ttftMs ?? null,
      })
      .returning();
    if (!row) throw new Error('turn insert returned nothing');
    return row;
  }

  async setTurnExternalId(turnId: string, externalId: string): Promise<void> {
    await this.db.update(meetingTurns).set({ externalId }).where(eq(meetingTurns.id, turnId));
  }

  /** Minutes, decisions and action items in one transaction, with the meeting marked completed. */
  async complete(id: string, minutes: Minutes): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(decisions).where(eq(decisions.meetingId, id));
      await tx.delete(actionItems).where(eq(actionItems.meetingId, id));
      if (minutes.decisions.length > 0) {
        await tx.insert(decisions).values(minutes.decisions.map((d) => ({ meetingId: id, text: d.decision, rationale: d.rationale || null })));
      }
      if (minutes.action_items.length > 0) {
        await tx.insert(actionItems).values(minutes.action_items.map((a) => ({ meetingId: id, owner: a.owner, task: a.task, due: a.due ?? null })));
      }
      await tx.update(meetings).set({ minutes, status: 'completed', endedAt: sql`now()`, error: null }).where(eq(meetings.id, id));
    });
  }

  /**
   * Running meetings whose runner has not been heard from for `staleMs`: their
   * process died. Meetings run by `ownRunner` (this process) are alive by definition.
   */
  async markStale(staleMs: number, ownRunner: string): Promise<string[]> {
    const cutoff = new Date(Date.now() - staleMs);
    const rows = await this.db
      .update(meetings)
      .set({ status: 'interrupted', error: 'the process running this meeting stopped' })
      .where(and(eq(meetings.status, 'running'), or(isNull(meetings.runnerId), ne(meetings.runnerId, ownRunner)), or(isNull(meetings.heartbeatAt), lt(meetings.heartbeatAt, cutoff))))
      .returning({ id: meetings.id });
    return rows.map((row) => row.id);
  }
}
