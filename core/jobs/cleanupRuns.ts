import { and, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { jobRuns } from '../db/schema.js';

/** Forgets job run records older than the retention period. */
export async function cleanupRuns(db: Db, options: { retentionDays: number; now: Date }): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * 86_400_000);
  const deleted = await db.delete(jobRuns).where(and(lt(jobRuns.startedAt, cutoff), ne(jobRuns.status, 'running'))).returning({ id: jobRuns.id });
  return deleted.length;
}
