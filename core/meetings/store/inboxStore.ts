import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { meetingInbox, meetings, meetingTurns } from '../../db/schema.js';
import { LeaseLostError, type TurnRow } from './meetingStore.js';

export interface InboxMessage {
  speakerId: string;
  speakerName: string;
  text: string;
  externalId?: string | null;
}

/** People's messages to a meeting: written by whichever process received them, turned into turns by the runner. */
export class InboxStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores the post while the meeting is in one of `openStatuses`, checked under
   * the meeting row's lock: a completing runner either sees the post and takes it
   * in, or has completed and the post is refused with the status it found.
   */
  async post(meetingId: string, message: InboxMessage, openStatuses?: readonly string[]): Promise<{ id: string } | { refused: string }> {
    return this.db.transaction(async (tx) => {
      if (openStatuses) {
        const [meeting] = await tx.select({ status: meetings.status }).from(meetings).where(eq(meetings.id, meetingId)).for('share');
        if (!meeting || !openStatuses.includes(meeting.status)) return { refused: meeting?.status ?? 'gone' };
      }
      return { id: await this.insert(tx as unknown as Db, meetingId, message) };
    });
  }

  private async insert(db: Db, meetingId: string, message: InboxMessage): Promise<string> {
    const [row] = await db
      .insert(meetingInbox)
      .values({ meetingId, speakerId: message.speakerId, speakerName: message.speakerName, text: message.text, externalId: message.externalId ?? null })
      .onConflictDoNothing({ target: [meetingInbox.meetingId, meetingInbox.externalId], where: sql`external_id is not null` })
      .returning({ id: meetingInbox.id });
    if (row) return row.id;
    const [existing] = message.externalId
      ? await db
          .select({ id: meetingInbox.id })
          .from(meetingInbox)
          .where(and(eq(meetingInbox.meetingId, meetingId), eq(meetingInbox.externalId, message.externalId)))
      : [];
    if (!existing) throw new Error('inbox insert returned nothing');
    return existing.id;
  }

  /**
   * Stores every waiting message as a `human` turn numbered from `nextSeq`, and
   * marks it taken in the same transaction: a message becomes exactly one turn,
   * whatever crashes in between. Rows another runner holds are skipped, not
   * awaited; with `runner`, nothing is written unless it still holds the meeting.
   */
  async drain(meetingId: string, nextSeq: number, topicIndex: number, round: number, runner?: string): Promise<TurnRow[]> {
    return this.db.transaction(async (tx) => {
      if (runner) {
        const held = await tx
          .select({ id: meetings.id })
          .from(meetings)
          .where(and(eq(meetings.id, meetingId), eq(meetings.runnerId, runner), gt(meetings.leaseUntil, sql`now()`)))
          .for('update');
        if (held.length === 0) throw new LeaseLostError(meetingId);
      }
      const waiting = await tx
        .select()
        .from(meetingInbox)
        .where(and(eq(meetingInbox.meetingId, meetingId), isNull(meetingInbox.turnSeq)))
        .orderBy(asc(meetingInbox.createdAt), asc(meetingInbox.id))
        .for('update', { skipLocked: true });
      const stored: TurnRow[] = [];
      let seq = nextSeq;
      for (const message of waiting) {
        const [turn] = await tx
          .insert(meetingTurns)
          .values({ meetingId, seq, topicIndex, round, agentId: null, speakerId: message.speakerId, speakerName: message.speakerName, kind: 'human', content: message.text, externalId: message.externalId })
          .returning();
        if (!turn) throw new Error('human turn insert returned nothing');
        await tx.update(meetingInbox).set({ turnSeq: seq }).where(eq(meetingInbox.id, message.id));
        stored.push(turn);
        seq++;
      }
      return stored;
    });
  }

  async pendingCount(meetingId: string): Promise<number> {
    const rows = await this.db.select({ id: meetingInbox.id }).from(meetingInbox).where(and(eq(meetingInbox.meetingId, meetingId), isNull(meetingInbox.turnSeq)));
    return rows.length;
  }
}
