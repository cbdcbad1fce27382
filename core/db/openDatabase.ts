import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CouncilError, databaseReason } from '../errors.js';
import type { Logger } from '../log.js';
import { migrationsDir } from '../paths.js';
import type { Database, Db } from './database.js';
import { lockDataDir } from './dataDirLock.js';
import { collectInitdbGarbage } from './pgliteMemory.js';
import { canCreatePgliteInChild, createPgliteInChild } from './createPgliteInChild.js';
import { enableVector } from './enableVector.js';
import { restrictToOwner } from './ownerOnly.js';
import { postgresOptions } from './postgresOptions.js';
import { startPglite } from './startPglite.js';
import { isNoSpace, noSpaceError, reasonOf } from './noSpace.js';
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
  const client = postgres(url, { ...postgresOptions, max: 10 });
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
    async writable() {
      const [row] = await client<Array<{ readOnly: boolean }>>`select pg_is_in_recovery() or current_setting('transaction_read_only') = 'on' as "readOnly"`;
      if (row?.readOnly) throw new CouncilError('database_error', 'the Postgres server at DATABASE_URL is read-only (a standby or default_transaction_read_only); point DATABASE_URL at the primary');
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string, log?: Logger): Promise<Database> {
  const folder = resolve(dataDir, 'pglite');
  const unlock = lockDataDir(resolve(dataDir));
  try {
    const loosened = restrictToOwner(resolve(dataDir));
    if (loosened > 0) log?.warn({ dataDir, entries: loosened }, 'DATA_DIR was open to other users: made it owner-only (folders 0700, files 0600)');
    const fresh = !existsSync(join(folder, 'PG_VERSION'));
    const createdHere = fresh && !canCreatePgliteInChild();
    if (fresh && !createdHere) await createPgliteInChild(folder, dataDir);
    const { client, db, vector } = await startPglite(folder, dataDir, log);
    if (createdHere) collectInitdbGarbage();
    // What PGlite just wrote (initdb's files, pg_internal.init) carries its own modes, not ours.
    restrictToOwner(resolve(dataDir));
    log?.debug({ dataDir: folder }, 'embedded database open');
    return {
      db,
      kind: 'pglite',
      vector,
      async ping() {
        await client.query('select 1');
      },
      async writable() {
        await probeWrite(folder, dataDir);
      },
      async close() {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    if (isNoSpace(error)) throw noSpaceError(dataDir, error);
    throw databaseError(error, `cannot open the embedded database in ${folder}`);
  }
}

/** Writes and syncs a small file beside the database: fails when the disk is full, whatever the database has cached. */
async function probeWrite(folder: string, dataDir: string): Promise<void> {
  const file = join(folder, '..', `.write-probe-${process.pid}`);
  try {
    const handle = await open(file, 'w', 0o600);
    try {
      await handle.write(randomBytes(64 * 1024));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isNoSpace(error)) throw noSpaceError(dataDir, error);
    throw new CouncilError('database_error', `cannot write in DATA_DIR ${dataDir} (${(error as NodeJS.ErrnoException).code ?? reasonOf(error)}); check the folder's permissions and free space`, { cause: error });
  } finally {
    await rm(file, { force: true });
  }
}

function databaseError(error: unknown, what: string): CouncilError {
  if (error instanceof CouncilError) return error;
  // A driver's code becomes words; its message could name the server's address or quote SQL.
  const reason = databaseReason(error) ?? reasonOf(error);
  return new CouncilError('database_error', `${what}: ${redactUrl(reason)}`, { cause: error });
}

function redactUrl(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1[redacted]@');
}
