/**
 * Full-text recall latency, the schema and query path before migration 0009
 * ("legacy") against today's, side by side: two databases of the same kind
 * filled alike, queried in alternation so that a busy machine slows both
 * equally. Legacy is the whole-table GIN index with its pending list
 * (fastupdate, which PGlite never vacuums) and recall that also wrote the
 * access count before the answer could start; today is a GIN index over
 * current rows without a pending list, and recall that only reads (the access
 * count is written with the answer's provenance, after it).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../core/db/database.js';
import { rowsOf } from '../core/db/rows.js';
import { anyTopicWord, MemoryStore, validAt } from '../core/memory/memoryStore.js';
import { recallCondition, type Caller } from '../core/memory/scope.js';

const caller: Caller = { ownerId: 'cli:bench', name: null, guildId: null, placeId: null };
const question = (i: number) => `who owns s${(i * 7) % 500}?`;

/** Puts back the index as 0000_init made it (0009 replaced it). */
export async function toLegacySchema(database: Database): Promise<void> {
  await database.db.execute(sql`drop index if exists memories_search_current`);
  await database.db.execute(sql`create index memories_search on memories using gin (search)`);
}

/** Memories `from`..`to` of one owner (each query word matches ~1 in 500 rows), a tenth of them superseded. */
export async function fill(database: Database, from: number, to: number): Promise<void> {
  await database.db.execute(sql`insert into memories (agent_id, owner_id, user_id, visibility, source, content_hash, kind, content, importance, last_seen_at, valid_to)
    select 'cto', 'cli:bench', 'cli:bench', 'owner', 'bench', md5(i::text), 'fact', 'fact ' || i || ' about s' || (i % 500) || ' owned by t' || (i % 37), (i % 10) / 10.0,
      now() - (i % 365) * interval '1 day', case when i % 10 = 0 then now() - interval '1 day' end
    from generate_series(${from}::int, ${to}::int) as i`);
  await new MemoryStore(database.db, false).analyze();
}

type Recall = (i: number) => Promise<unknown>;

function recallOn(database: Database, legacy: boolean): Recall {
  const store = new MemoryStore(database.db, false);
  return async (i) => {
    const found = await store.recall({ agentId: 'cto', caller, text: question(i), halfLifeDays: 30 });
    if (legacy && found.length > 0) {
      const ids = sql.join(found.map((row) => sql`${row.id}::uuid`), sql`, `);
      await database.db.execute(sql`update memories set access_count = access_count + 1, last_accessed_at = now() where id in (${ids})`);
    }
  };
}

const p95 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)]!;

/** p95 of `queries` recalls on each side, alternating which goes first; a few unmeasured rounds warm both caches. */
export async function sideBySide(legacy: Database, current: Database, queries = 200): Promise<{ legacy: number; current: number }> {
  const sides = [
    { run: recallOn(legacy, true), times: [] as number[] },
    { run: recallOn(current, false), times: [] as number[] },
  ];
  for (let i = -20; i < queries; i++) {
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const started = performance.now();
      await side.run(i);
      if (i >= 0) side.times.push(performance.now() - started);
    }
  }
  return { legacy: p95(sides[0]!.times), current: p95(sides[1]!.times) };
}

/** The plan of today's recall query, for the record (EXPLAIN ANALYZE). */
export async function explainRecall(database: Database): Promise<string> {
  const tsquery = anyTopicWord(question(6));
  const rows = rowsOf<Record<string, string>>(
    await database.db.execute(sql`explain (analyze, buffers) select id, ts_rank(search, ${tsquery}) as score from memories
      where ${recallCondition('cto', caller)} and ${validAt()} and search @@ ${tsquery} order by score desc, importance desc limit 20`),
  );
  return rows.map((row) => Object.values(row)[0]).join('\n');
}
