import { and, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { memories } from '../db/schema.js';

/** Drops memories that are both unimportant and unused for the retention period. */
export async function pruneMemories(db: Db, options: { minImportance: number; retentionDays: number; now: Date }): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * 86_400_000);
  const deleted = await db
    .delete(memories)
    .where(and(lt(memories.importance, options.minImportance), lt(memories.lastAccessedAt, cutoff), sql`${memories.kind} <> 'decision'`))
    .returning({ id: memories.id });
  return deleted.length;
}
