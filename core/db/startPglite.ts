import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../log.js';
import { migrationsDir } from '../paths.js';
import type { Db } from './database.js';
import { enableVector } from './enableVector.js';
import { isNoSpace, noSpaceError } from './noSpace.js';
import { pgliteMemorySettings, useBaselineWasmCompiler } from './pgliteMemory.js';
import * as schema from './schema.js';

export interface StartedPglite {
  client: PGlite;
  db: Db;
  vector: boolean;
}

/** One PGlite instance on `folder` (created if missing), its schema brought up to date. */
export async function startPglite(folder: string, dataDir: string, log?: Logger): Promise<StartedPglite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector: vectorExtension } = await import('@electric-sql/pglite-pgvector');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams ?? [];
  useBaselineWasmCompiler();
  const client = await PGlite.create({ dataDir: folder, extensions: { vector: vectorExtension }, startParams: [...defaults, ...pgliteMemorySettings] });
  try {
    explainNoSpace(client, dataDir);
    const db = drizzle(client, { schema }) as unknown as Db;
    await migrate(db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: migrationsDir });
    return { client, db, vector: await enableVector(db, log) };
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
}

/**
 * A full disk surfaces from PGlite as SQLSTATE 53100 or as a bare emscripten
 * ErrnoError; either way the caller (and the client of a 503) gets one line
 * naming DATA_DIR, and the database keeps serving reads.
 */
function explainNoSpace(client: { query: unknown; exec: unknown; transaction: unknown }, dataDir: string): void {
  for (const method of ['query', 'exec', 'transaction'] as const) {
    const original = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
    client[method] = async (...args: unknown[]) => {
      try {
        return await original(...args);
      } catch (error) {
        throw isNoSpace(error) ? noSpaceError(dataDir, error) : error;
      }
    };
  }
}
