import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../core/db/database.js';
import { openDatabase } from '../../core/db/openDatabase.js';
import { createTestDatabase, hasPostgres } from './postgres.js';

export type BackendName = 'PGlite' | 'Postgres';

/** Both databases Council runs on, for describe.each: the embedded default and a server in the run's throwaway cluster. */
export const databaseBackends: readonly { name: BackendName; enabled: boolean }[] = [
  { name: 'PGlite', enabled: true },
  { name: 'Postgres', enabled: hasPostgres },
];

/** A migrated, empty database of that kind; dispose() closes it and removes its folder or database. */
export async function openEmptyDatabase(name: BackendName): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (name === 'PGlite') {
    const dir = mkdtempSync(join(tmpdir(), 'council-db-'));
    const database = await openDatabase({ dataDir: dir });
    return {
      database,
      async dispose() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const test = await createTestDatabase();
  const database = await openDatabase({ databaseUrl: test.url, dataDir: tmpdir() });
  return {
    database,
    async dispose() {
      await database.close();
      await test.drop();
    },
  };
}
