import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { actionItems, decisions, meetingInbox, meetings, meetingTurns, type MeetingStatus } from '../../db/schema.js';
import type { ToolCallRecord } from '../../tools/toolCallRecord.js';
import type { CallStats } from '../../events.js';
import type { Minutes } from '../engine/minutesSchema.js';
import { runnerHolds } from './controlStore.js';

/** Thrown by a write guarded by the lease when another process holds the meeting now: the caller stops without writing. */
export class LeaseLostError extends Error {
  constructor(readonly meetingId: string) {
    super(`meeting ${meetingId} is no longer held by this process`);
    this.name = 'LeaseLostError';
  }
}

/** Thrown by complete() when people's posts wait in the inbox: the runner takes them in and completes again, so none is lost. */
export class LateMessagesError extends Error {
  constructor(readonly meetingId: string) {
    super(`meeting ${meetingId} has posts not yet taken in`);
    this.name = 'LateMessagesError';
  }
}

/** Statuses a runner may claim; `running` only once its runner's lease has expired (the runner died). */
export const claimableStatuses: MeetingStatus[] = ['pending', 'interrupted', 'paused', 'running'];

/** A meeting created to start at once is claimed within milliseconds; unclaimed this long, its starter died. */
const unclaimedGraceSeconds = 30;

const leaseFree = () => or(isNull(meetings.leaseUntil), lt(meetings.leaseUntil, sql`now()`));
const inMs = (ms: number) => sql`now() + ${Math.round(ms)} * interval '1 millisecond'`;

export type MeetingRow = typeof meetings.$inferSelect;
export type TurnRow = typeof meetingTurns.$inferSelect;
export type TurnKind = TurnRow['kind'];

export interface NewTurn {
  meetingId: string;
  seq: number;
  topicIndex: number;
  round: number;
  /** The persona who spoke; null for a person's turn. */
  agentId: string | null;
  speakerId?: string | null;
  speakerName?: string | null;
  kind: TurnKind;
  content: string;
  stats: CallStats | null;
  /** The tools the turn called, stored with it. */
  toolCalls?: ToolCallRecord[];
}

/** All database access for meetings, their turns, decisions and action items. */
export class MeetingStore {
  /**
   * `exclusiveRunner`: this process is the only one that can reach the
   * database (embedded PGlite), so a lease held by any other runner is dead.
   */
  constructor(
    private readonly db: Db,
    private readonly exclusiveRunner?: string,
  ) {}

  /**
   * The runner that holds the meeting now, or null: a runner whose lease has
   * not expired. On embedded PGlite only this process reaches the data, so
   * another runner's lease there is a dead process's and holds nothing.
   */
  holder(row: Pick<MeetingRow, 'leaseUntil' | 'status' | 'runnerId'>): string | null {
    if (!runnerHolds(row) || !row.runnerId) return null;
    return this.exclusiveRunner && row.runnerId !== this.exclusiveRunner ? null : row.runnerId;
  }

  private free(runnerId?: string) {
    const owner = runnerId ?? this.exclusiveRunner;
    return owner && this.exclusiveRunner ? or(leaseFree(), isNull(meetings.runnerId), ne(meetings.runnerId, owner)) : leaseFree();
  }

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

  /** Newest first; `visible` is the caller's condition (core/meetings/meetingAccess.ts). */
  list(options: { status?: MeetingStatus; limit?: number; visible?: SQL } = {}): Promise<MeetingRow[]> {
    return this.db
      .select()
      .from(meetings)
      .where(and(options.status ? eq(meetings.status, options.status) : undefined, options.visible))
      .orderBy(desc(meetings.createdAt))
      .limit(options.limit ?? 50);
  }

  async update(id: string, values: Partial<typeof meetings.$inferInsert>): Promise<void> {
    await this.db.update(meetings).set(values).where(eq(meetings.id, id));
  }

  /**
   * The one atomic claim: only one caller gets the row back; a loser changes
   * nothing. A meeting is claimable in a claimable status while nobody holds an
   * unexpired lease on it.
   */
  async claim(id: string, runnerId: string, leaseMs: number): Promise<MeetingRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await this.db
      .update(meetings)
      .set({ status: 'running', runnerId, leaseUntil: inMs(leaseMs), heartbeatAt: sql`now()`, error: null, startedAt: sql`coalesce(${meetings.startedAt}, now())` })
      .where(and(eq(meetings.id, id), inArray(meetings.status, claimableStatuses), this.free(runnerId)))
      .returning();
    return row;
  }

  /** Extends the lease if this runner still holds it; undefined means another process took the meeting. */
  async renewLease(id: string, runnerId: string, leaseMs: number): Promise<{ control: MeetingRow['control']; status: MeetingStatus } | undefined> {
    const [row] = await this.db
      .update(meetings)
      .set({ leaseUntil: inMs(leaseMs), heartbeatAt: sql`now()` })
      .where(and(eq(meetings.id, id), eq(meetings.runnerId, runnerId), gt(meetings.leaseUntil, sql`now()`)))
      .returning({ control: meetings.control, status: meetings.status });
    return row;
  }

  /**
   * Writes the runner's last word on the meeting (its end status) and frees the
   * lease, only while this runner holds it. False: another process holds it, nothing written.
   */
  async finish(id: string, runnerId: string, values: Partial<typeof meetings.$inferInsert>): Promise<boolean> {
    const rows = await this.db
      .update(meetings)
      .set({ ...values, leaseUntil: null })
      .where(and(eq(meetings.id, id), eq(meetings.runnerId, runnerId)))
      .returning({ id: meetings.id });
    return rows.length > 0;
  }

  /**
   * Reserves one automatic resume for the supervisor: a meeting whose runner
   * died (running, lease expired) or that stopped resumable (interrupted), when
   * its backoff allows. The update bumps attempts and next_attempt_at, so of
   * several supervisors only one reserves it.
   */
  async reserveResume(id: string, delayMs: (attempts: number) => number | null, maxAttempts: number): Promise<MeetingRow | undefined> {
    const [current] = await this.db.select({ attempts: meetings.attempts }).from(meetings).where(eq(meetings.id, id));
    if (!current || current.attempts >= maxAttempts) return undefined;
    const delay = delayMs(current.attempts + 1);
    const [row] = await this.db
      .update(meetings)
      .set({ attempts: sql`${meetings.attempts} + 1`, nextAttemptAt: delay === null ? null : inMs(delay) })
      .where(and(eq(meetings.id, id), eq(meetings.attempts, current.attempts), this.resumeDue()))
      .returning();
    return row;
  }

  /** Meetings a supervisor could take over now (see reserveResume). */
  async resumeCandidates(maxAttempts: number, limit = 20): Promise<MeetingRow[]> {
    return this.db
      .select()
      .from(meetings)
      .where(and(this.resumeDue(), lt(meetings.attempts, maxAttempts)))
      .orderBy(asc(meetings.nextAttemptAt))
      .limit(limit);
  }

  private resumeDue() {
    const orphaned = and(eq(meetings.status, 'pending'), eq(meetings.autostart, true), lt(meetings.createdAt, sql`now() - make_interval(secs => ${unclaimedGraceSeconds})`));
    return and(or(inArray(meetings.status, ['running', 'interrupted']), orphaned), this.free(), or(isNull(meetings.nextAttemptAt), lte(meetings.nextAttemptAt, sql`now()`)));
  }

  /**
   * Written the moment a turn finishes, only while `runnerId` holds the
   * meeting (the row lock orders it against a takeover's claim), and the unique
   * (meeting, seq) index refuses a duplicate. Progress resets the automatic resume count.
   */
  async addTurn(turn: NewTurn, runnerId?: string): Promise<TurnRow> {
    return this.db.transaction(async (tx) => {
      if (runnerId) {
        const held = await tx
          .update(meetings)
          .set({ attempts: 0, nextAttemptAt: null, heartbeatAt: sql`now()` })
          .where(and(eq(meetings.id, turn.meetingId), eq(meetings.runnerId, runnerId), gt(meetings.leaseUntil, sql`now()`)))
          .returning({ id: meetings.id });
        if (held.length === 0) throw new LeaseLostError(turn.meetingId);
      }
      const [row] = await tx
        .insert(meetingTurns)
        .values({
          meetingId: turn.meetingId,
          seq: turn.seq,
          topicIndex: turn.topicIndex,
          round: turn.round,
          agentId: turn.agentId,
          speakerId: turn.speakerId ?? null,
          speakerName: turn.speakerName ?? null,
          kind: turn.kind,
          content: turn.content,
          toolCalls: turn.toolCalls?.length ? turn.toolCalls : null,
          model: turn.stats?.model ?? null,
          promptTokens: turn.stats?.promptTokens ?? null,
          completionTokens: turn.stats?.completionTokens ?? null,
          durationMs: turn.stats?.durationMs ?? null,
          ttftMs: turn.stats?.ttftMs ?? null,
        })
        .returning();
      if (!row) throw new Error('turn insert returned nothing');
      return row;
    });
  }

  /** Turns after `afterSeq`, in order: what a follower (SSE, another process) has not seen yet. */
  turnsAfter(meetingId: string, afterSeq: number): Promise<TurnRow[]> {
    return this.db
      .select()
      .from(meetingTurns)
      .where(and(eq(meetingTurns.meetingId, meetingId), gt(meetingTurns.seq, afterSeq)))
      .orderBy(asc(meetingTurns.seq));
  }

  async setTurnExternalId(turnId: string, externalId: string): Promise<void> {
    await this.db.update(meetingTurns).set({ externalId }).where(eq(meetingTurns.id, turnId));
  }

  /**
   * Minutes, decisions and action items in one transaction, with the meeting
   * marked completed. `people` maps the speaker ids of people who spoke to their
   * names: an owner found there is a person (owner_kind human).
   */
  async complete(id: string, minutes: Minutes, runnerId?: string, people: ReadonlyMap<string, string> = new Map()): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (runnerId) {
        const held = await tx.update(meetings).set({ heartbeatAt: sql`now()` }).where(and(eq(meetings.id, id), eq(meetings.runnerId, runnerId), gt(meetings.leaseUntil, sql`now()`))).returning({ id: meetings.id });
        if (held.length === 0) throw new LeaseLostError(id);
      }
      // The row is locked now: a post either landed before (seen here, so the runner takes it in first) or sees the meeting completed (InboxStore.post refuses it).
      await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, id)).for('update');
      const waiting = await tx.select({ id: meetingInbox.id }).from(meetingInbox).where(and(eq(meetingInbox.meetingId, id), isNull(meetingInbox.turnSeq))).limit(1);
      if (waiting.length > 0) throw new LateMessagesError(id);
      await tx.delete(decisions).where(eq(decisions.meetingId, id));
      await tx.delete(actionItems).where(eq(actionItems.meetingId, id));
      if (minutes.decisions.length > 0) {
        await tx.insert(decisions).values(minutes.decisions.map((d) => ({ meetingId: id, text: d.decision, rationale: d.rationale || null, sourceTurns: d.source_turns })));
      }
      if (minutes.action_items.length > 0) {
        await tx.insert(actionItems).values(
          minutes.action_items.map((a) => ({ meetingId: id, owner: a.owner, ownerKind: people.has(a.owner) ? ('human' as const) : ('agent' as const), ownerName: people.get(a.owner) ?? null, task: a.task, due: a.due ?? null, sourceTurns: a.source_turns })),
        );
      }
      await tx.update(meetings).set({ minutes, status: 'completed', endedAt: sql`now()`, error: null, leaseUntil: null }).where(eq(meetings.id, id));
    });
  }
}
