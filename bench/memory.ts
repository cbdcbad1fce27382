/**
 * Recall latency at 1k / 10k / 100k stored memories, on PGlite (pgvector, HNSW)
 * and on a throwaway Postgres (no pgvector here: full-text fallback).
 *   npx tsx bench/memory.ts [--sizes 1000,10000,100000] [--dims 384] [--queries 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../core/db/openDatabase.js';
import type { Database } from '../core/db/database.js';
import { memories } from '../core/db/schema.js';
import { MemoryStore } from '../core/memory/memoryStore.js';
import { cliCaller, memoryScopeForChat } from '../core/memory/scope.js';
import { findPostgresBin, startPostgresCluster } from '../test/support/postgresCluster.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1000,10000,100000' }, dims: { type: 'string', default: '384' }, queries: { type: 'string', default: '200' } },
});
const sizes = values.sizes.split(',').map(Number);
const dims = Number(values.dims);
const queries = Number(values.queries);
const caller = cliCaller('bench');

const words = 'deploy database latency cache queue kafka postgres index migration rollback incident budget roadmap sprint review api schema auth token frontend react mobile release test coverage metrics alert grafana docker kubernetes terraform cost vendor contract customer churn onboarding security audit encryption backup restore replica shard partition'.split(' ');

let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function sentence(): string {
  return Array.from({ length: 8 }, () => words[Math.floor(random() * words.length)]).join(' ');
}
function vector(): number[] {
  const v = Array.from({ length: dims }, () => random() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

async function fill(database: Database, store: MemoryStore, target: number, have: number): Promise<void> {
  await store.add({ agentId: 'bench', content: sentence(), kind: 'note', importance: 0.5, scope: memoryScopeForChat(caller, 'note'), embedding: vector() });
  for (let n = have + 1; n < target; n += 1000) {
    const batch = Array.from({ length: Math.min(1000, target - n) }, () => {
      const embedding = vector();
      return { agentId: 'bench', content: sentence(), kind: 'note' as const, importance: 0.5, ownerId: caller.ownerId, embedding, embeddingDims: dims };
    });
    await database.db.insert(memories).values(batch);
  }
  // What Council does after an import and every thousand writes.
  await store.analyze();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(store: MemoryStore): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < queries; i++) {
    const text = sentence();
    const started = performance.now();
    await store.recall({ agentId: 'bench', caller, text, embedding: vector(), limit: 5 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function run(label: string, database: Database): Promise<void> {
  const store = new MemoryStore(database.db, database.vector);
  let have = 0;
  for (const size of sizes) {
    const started = performance.now();
    await fill(database, store, size, have);
    have = size;
    const fillSeconds = (performance.now() - started) / 1000;
    const { p50, p95 } = await measure(store);
    const path = database.vector ? 'pgvector hnsw' : 'full-text';
    console.log(`${label.padEnd(9)} ${path.padEnd(14)} ${String(size).padStart(7)} memories  recall p50 ${p50.toFixed(2).padStart(7)} ms  p95 ${p95.toFixed(2).padStart(7)} ms  (filled in ${fillSeconds.toFixed(1)} s)`);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'council-bench-memory-'));
console.log(`recall of 5 nearest among N memories, ${dims}-dim embeddings, ${queries} queries each`);
const pglite = await openDatabase({ dataDir });
await run('pglite', pglite);
await pglite.close();
rmSync(dataDir, { recursive: true, force: true });

if (findPostgresBin()) {
  const cluster = await startPostgresCluster();
  try {
    const postgres = await openDatabase({ databaseUrl: cluster.url, dataDir });
    await run('postgres', postgres);
    await postgres.close();
  } finally {
    cluster.stop();
  }
} else {
  console.log('postgres  skipped: no server binaries under /usr/lib/postgresql');
}
