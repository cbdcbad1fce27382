import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database: Drizzle on Postgres (postgres.js) or on embedded PGlite. */
export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** true when pgvector is installed, so recall uses vector distance instead of full-text search. */
  vector: boolean;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** Throws when writes would fail (disk full, read-only server), with a message naming the fix. */
  writable(): Promise<void>;
  close(): Promise<void>;
}
