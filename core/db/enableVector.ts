import { sql } from 'drizzle-orm';
import type { Logger } from '../log.js';
import type { Db } from './database.js';

/** pgvector is optional: without it recall falls back to full-text search. */
export async function enableVector(db: Db, log?: Logger): Promise<boolean> {
  try {
    await db.execute(sql`create extension if not exists vector`);
    return true;
  } catch (error) {
    log?.info({ reason: (error as Error).message }, 'pgvector not available; memory recall uses full-text search');
    return false;
  }
}
