import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportData, toNdjsonLine } from '../../core/backup/exportData.js';
import { importData, parseNdjson } from '../../core/backup/importData.js';
import type { Database } from '../../core/db/database.js';
import { openDatabase } from '../../core/db/openDatabase.js';
import { rowsOf } from '../../core/db/rows.js';
import { MemoryStore } from '../../core/memory/memoryStore.js';
import { cliCaller, memoryScopeForChat } from '../../core/memory/scope.js';
import { databaseBackends, openEmptyDatabase } from '../support/bothDatabases.js';

describe.each(databaseBackends)('memory validity and repeats on $name', ({ name, enabled }) => {
  let database: Database;
  let store: MemoryStore;
  let cleanup: () => Promise<void>;
  const caller = cliCaller('ana');
  const scope = memoryScopeForChat(caller, 'fact');

  beforeAll(async () => {
    if (!enabled) return;
    ({ database, dispose: cleanup } = await openEmptyDatabase(name));
    store = new MemoryStore(database.db, false);
  });
  afterAll(async () => {
    if (enabled) await cleanup();
  });

  it.runIf(enabled)('a repeat with other case and punctuation merges into one row with a count and last-seen time', async () => {
    const first = await store.add({ agentId: 'cto', content: 'We deploy on Fridays.', kind: 'fact', importance: 0.6, scope });
    expect(first).not.toBeNull();
    const again = await store.upsert({ agentId: 'cto', content: 'we deploy   on FRIDAYS', kind: 'fact', importance: 0.6, scope });
    expect(again).toEqual({ id: first, inserted: null });
    const [row] = rowsOf<{ seen_count: number; last_seen_at: Date; created_at: Date }>(await database.db.execute(sql`select seen_count, last_seen_at, created_at from memories where id = ${first}::uuid`));
    expect(row?.seen_count).toBe(2);
    expect(new Date(row!.last_seen_at).getTime()).toBeGreaterThanOrEqual(new Date(row!.created_at).getTime());
  });

  it.runIf(enabled)('recall returns current, unexpired memories; as_of sees what was true then', async () => {
    const old = (await store.add({ agentId: 'cto', content: 'We run Postgres 14 in production', kind: 'fact', importance: 0.6, scope }))!;
    const current = (await store.add({ agentId: 'cto', content: 'We run Postgres 16 in production', kind: 'fact', importance: 0.6, scope }))!;
    // The move happened an hour ago; the old fact was true for the hour before.
    await database.db.execute(sql`update memories set valid_from = now() - interval '2 hours', valid_to = now() - interval '1 hour', superseded_by = ${current}::uuid where id = ${old}::uuid`);
    await database.db.execute(sql`update memories set valid_from = now() - interval '1 hour' where id = ${current}::uuid`);
    const before = new Date(Date.now() - 90 * 60_000);
    await store.add({ agentId: 'cto', content: 'Postgres freeze until yesterday', kind: 'fact', importance: 0.6, scope, expiresAt: new Date(Date.now() - 60_000) });

    const now = await store.recall({ agentId: 'cto', caller, text: 'postgres production' });
    expect(now.map((m) => m.content)).toEqual(['We run Postgres 16 in production']);
    const then = await store.recall({ agentId: 'cto', caller, text: 'postgres production', asOf: before });
    expect(then.map((m) => m.content)).toContain('We run Postgres 14 in production');
    expect(then.map((m) => m.content)).not.toContain('We run Postgres 16 in production');
  });

  it.runIf(enabled)('recall ranks equally relevant memories by recency and importance within the limit', async () => {
    const stale = (await store.add({ agentId: 'qa', content: 'Flaky test checkout spec in the billing suite', kind: 'fact', importance: 0.6, scope }))!;
    await store.add({ agentId: 'qa', content: 'Flaky test login spec in the billing suite', kind: 'fact', importance: 0.6, scope });
    await database.db.execute(sql`update memories set last_seen_at = now() - interval '200 days' where id = ${stale}::uuid`);
    const [top] = await store.recall({ agentId: 'qa', caller, text: 'flaky test billing suite', limit: 1, halfLifeDays: 30 });
    expect(top?.content).toBe('Flaky test login spec in the billing suite');
  });

  it.runIf(enabled)('export and import carry validity, provenance and seen counts', async () => {
    const records = [];
    for await (const record of exportData(database.db)) records.push(record);
    const superseded = records.find((r) => r.type === 'memory' && r.content === 'We run Postgres 14 in production');
    expect(superseded).toMatchObject({ validTo: expect.any(Date), supersededBy: expect.any(String) });
    expect(records.find((r) => r.type === 'memory' && r.content === 'We deploy on Fridays.')).toMatchObject({ seenCount: 2 });

    const dir = mkdtempSync(join(tmpdir(), 'council-validity-import-'));
    const target = await openDatabase({ dataDir: dir });
    try {
      await importData(target.db, parseNdjson(records.map(toNdjsonLine).join('')), { agents: new Set(['cto', 'qa']), maxTextChars: 100_000, maxMemoryChars: 10_000 });
      const rows = rowsOf<{ content: string; valid_to: Date | null; seen_count: number }>(await target.db.execute(sql`select content, valid_to, seen_count from memories order by content`));
      expect(rows.find((r) => r.content === 'We run Postgres 14 in production')?.valid_to).not.toBeNull();
      expect(rows.find((r) => r.content === 'We deploy on Fridays.')?.seen_count).toBe(2);
      const recalled = await new MemoryStore(target.db, false).recall({ agentId: 'cto', caller, text: 'postgres production' });
      expect(recalled.map((m) => m.content)).toEqual(['We run Postgres 16 in production']);
    } finally {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
