import { and, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { memories } from '../db/schema.js';

/** Drops memories that are both unimportant and unused for the retention period, and those kept only until a time now past ("remember until Friday"). */
export async function pruneMemories(db: Db, options: { minImportance: number; retentionDays: number; now: Date }): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * 86_400_000);
  const unused = and(lt(memories.importance, options.minImportance), lt(memories.lastAccessedAt, cutoff), sql`${memories.kind} <> 'decision'`);
  const deleted = await db
    .delete(memories)
    .where(or(unused, lt(memories.expiresAt, options.now)))
    .returning({ id: memories.id });
  return deleted.length;
}
