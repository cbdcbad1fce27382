import { and, desc, eq, lt, max, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { jobRuns } from '../db/schema.js';
import type { JobTrigger } from './types.js';

export type JobRunRow = typeof jobRuns.$inferSelect;

/** A running row whose heartbeat is older than this belongs to a process that died. */
export const jobStaleMs = 60_000;
/** How often a running job renews its heartbeat. */
export const jobHeartbeatMs = 10_000;

export type JobClaim = { row: JobRunRow } | { busy: JobRunRow } | { slotTaken: JobRunRow | undefined };

/**
 * Decides in the database whether this process runs the job now: one
 * transaction, serialised per job name by an advisory lock, that retires runs
 * of dead processes, refuses while a live run exists anywhere, and claims the
 * schedule slot (name, scheduled_for) so a slot runs once across processes.
 * Manual runs have no slot.
 */
export async function claimJobRun(db: Db, input: { name: string; trigger: JobTrigger; runner: string; scheduledFor: Date | null }): Promise<JobClaim> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`council:job:${input.name}`}))`);
    const stale = sql`now() - ${jobStaleMs} * interval '1 millisecond'`;
    await tx
      .update(jobRuns)
      .set({ status: 'failed', error: 'the process running it stopped', finishedAt: sql`now()` })
      .where(and(eq(jobRuns.name, input.name), eq(jobRuns.status, 'running'), lt(jobRuns.heartbeatAt, stale)));
    const [busy] = await tx.select().from(jobRuns).where(and(eq(jobRuns.name, input.name), eq(jobRuns.status, 'running'))).orderBy(desc(jobRuns.startedAt)).limit(1);
    if (busy) return { busy };
    const [row] = await tx
      .insert(jobRuns)
      .values({ name: input.name, trigger: input.trigger, status: 'running', runner: input.runner, scheduledFor: input.scheduledFor, heartbeatAt: sql`now()` })
      .onConflictDoNothing({ target: [jobRuns.name, jobRuns.scheduledFor] })
      .returning();
    if (row) return { row };
    const [taken] = input.scheduledFor ? await tx.select().from(jobRuns).where(and(eq(jobRuns.name, input.name), eq(jobRuns.scheduledFor, input.scheduledFor))) : [];
    return { slotTaken: taken };
  });
}

export async function beatJobRun(db: Db, id: string): Promise<void> {
  await db.update(jobRuns).set({ heartbeatAt: sql`now()` }).where(and(eq(jobRuns.id, id), eq(jobRuns.status, 'running')));
}

/** Each job's last successful finish, so the gauge is right from the start, not after the next run (up to a month). */
export async function lastSuccesses(db: Db): Promise<Array<{ name: string; at: Date | null }>> {
  return db.select({ name: jobRuns.name, at: max(jobRuns.finishedAt) }).from(jobRuns).where(eq(jobRuns.status, 'ok')).groupBy(jobRuns.name);
}
