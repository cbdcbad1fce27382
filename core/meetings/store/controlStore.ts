import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { meetings, type MeetingControl, type MeetingStatus } from '../../db/schema.js';

type MeetingRow = typeof meetings.$inferSelect;

/** Pause, resume and cancel as stored requests: the row is the truth, a signal only wakes the runner to read it. */
export class ControlStore {
  constructor(private readonly db: Db) {}

  /** Sets the request if the meeting is in one of `statuses`; the updated row, or undefined when it is not. */
  async request(id: string, control: MeetingControl | null, statuses: MeetingStatus[]): Promise<MeetingRow | undefined> {
    const [row] = await this.db.update(meetings).set({ control }).where(and(eq(meetings.id, id), inArray(meetings.status, statuses))).returning();
    return row;
  }

  /** The runner's own status change (paused, running again), only while it holds the meeting. */
  async setHeldStatus(id: string, runner: string, status: MeetingStatus, values: { control?: MeetingControl | null } = {}): Promise<boolean> {
    const rows = await this.db
      .update(meetings)
      .set({ status, ...values })
      .where(and(eq(meetings.id, id), eq(meetings.runnerId, runner), gt(meetings.leaseUntil, sql`now()`)))
      .returning({ id: meetings.id });
    return rows.length > 0;
  }

  /** Cancels a meeting nobody runs (interrupted, pending, or paused with an expired lease) in one guarded statement. */
  async cancelIdle(id: string): Promise<MeetingRow | undefined> {
    const [row] = await this.db
      .update(meetings)
      .set({ status: 'cancelled', control: null, endedAt: sql`now()`, error: 'cancelled', leaseUntil: null })
      .where(and(eq(meetings.id, id), inArray(meetings.status, ['pending', 'interrupted', 'paused', 'running']), or(isNull(meetings.leaseUntil), lt(meetings.leaseUntil, sql`now()`))))
      .returning();
    return row;
  }
}

/** A runner holds the meeting now (its lease has not expired). */
export function runnerHolds(row: Pick<MeetingRow, 'leaseUntil' | 'status'>): boolean {
  return ['running', 'paused'].includes(row.status) && row.leaseUntil !== null && row.leaseUntil.getTime() > Date.now();
}
