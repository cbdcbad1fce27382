import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { CouncilError } from '../errors.js';
import type { Logger } from '../log.js';
import { migrationsDir } from '../paths.js';
import type { Database, Db } from './database.js';
import { lockDataDir } from './dataDirLock.js';
import * as schema from './schema.js';

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  log?: Logger;
}

/**
 * Opens Postgres when DATABASE_URL is set, else PGlite in DATA_DIR/pglite, and
 * brings the schema up to date. Concurrent starters on Postgres (bot and control
 * in Compose) serialise on an advisory lock so migrations run once.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.log) : openPglite(options.dataDir, options.log);
}

async function openPostgres(url: string, log?: Logger): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(client, { schema });
  try {
    await client`select pg_advisory_lock(727274)`;
    try {
      await migrate(db, { migrationsFolder: migrationsDir });
    } finally {
      await client`select pg_advisory_unlock(727274)`;
    }
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw databaseError(error, 'cannot open the Postgres database at DATABASE_URL');
  }
  const vector = await enableVector(db as unknown as Db, log);
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    vector,
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string, log?: Logger): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector: vectorExtension } = await import('@electric-sql/pglite-pgvector');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const folder = resolve(dataDir, 'pglite');
  const unlock = lockDataDir(resolve(dataDir));
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create({ dataDir: folder, extensions: { vector: vectorExtension } });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: migrationsDir });
    const vector = await enableVector(db as unknown as Db, log);
    log?.debug({ dataDir: join(dataDir, 'pglite') }, 'embedded database open');
    return {
      db: db as unknown as Db,
      kind: 'pglite',
      vector,
      async ping() {
        await client.query('select 1');
      },
      async close() {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw databaseError(error, `cannot open the embedded database in ${folder}`);
  }
}

/** pgvector is optional: without it recall falls back to full-text search. */
async function enableVector(db: Db, log?: Logger): Promise<boolean> {
  try {
    await db.execute(sql`create extension if not exists vector`);
    return true;
  } catch (error) {
    log?.info({ reason: (error as Error).message }, 'pgvector not available; memory recall uses full-text search');
    return false;
  }
}

function databaseError(error: unknown, what: string): CouncilError {
  if (error instanceof CouncilError) return error;
  const reason = (error as Error)?.message?.split('\n', 1)[0] ?? String(error);
  return new CouncilError('database_error', `${what}: ${redactUrl(reason)}`, { cause: error });
}

function redactUrl(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1[redacted]@');
}
