/**
 * Idle resident memory of a started Council (`node dist/main.js control`:
 * control plane, database, all 29 personas loaded), next to a bare Node
 * process, with where the memory goes (/proc/<pid>/smaps_rollup). Embedded
 * PGlite is measured on a first start (initdb) and restarted on its data;
 * core/db/pgliteMemory.ts holds what brought it down (small Postgres buffers,
 * baseline-only WebAssembly code, one collection after initdb), and
 * core/db/createPgliteInChild.ts the rest: initdb runs in a short-lived process.
 * Build first: npm run build && npx tsx bench/idleRss.ts
 * Goals: embedded <= 200 MB, Postgres <= 110 MB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageRoot } from '../core/paths.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';
import { findPostgresBin, startPostgresCluster } from '../test/support/postgresCluster.js';

interface Memory {
  rss: number;
  anonymous: number;
  file: number;
}

function memoryOf(pid: number): Memory {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
  return { rss: kb('Rss'), anonymous: kb('Anonymous'), file: kb('Rss') - kb('Anonymous') };
}

async function idle(child: ChildProcess, ready: () => Promise<boolean>): Promise<Memory> {
  const deadline = Date.now() + 120_000;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('process did not become ready');
    await sleep(200);
  }
  await sleep(5_000);
  const memory = memoryOf(child.pid!);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return memory;
}

const fake = await startFakeOllama();

/** `restarted`: measure a second start on the data the first one made (the steady state); else a first start, with initdb. */
async function councilMemory(extraEnv: Record<string, string>, nodeFlags: string[] = [], restarted = true): Promise<Memory> {
  const dataDir = mkdtempSync(join(tmpdir(), 'council-rss-'));
  try {
    if (restarted && !extraEnv.DATABASE_URL) await startOnce(dataDir, extraEnv, nodeFlags);
    return await startOnce(dataDir, extraEnv, nodeFlags);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function startOnce(dataDir: string, extraEnv: Record<string, string>, nodeFlags: string[]): Promise<Memory> {
  const port = 46100 + Math.floor(Math.random() * 800);
  const child = spawn(process.execPath, [...nodeFlags, join(packageRoot, 'dist', 'main.js'), 'control'], {
    env: { ...process.env, DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, CONTROL_PORT: String(port), CONTROL_HOST: '127.0.0.1', LOG_LEVEL: 'warn', DISCORD_TOKEN: '', ...extraEnv },
    stdio: 'inherit',
  });
  return idle(child, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200);
}

const show = (label: string, m: Memory, bare: Memory) =>
  console.log(`  ${label.padEnd(52)} ${m.rss.toFixed(0).padStart(4)} MB (anonymous ${m.anonymous.toFixed(0)}, file-backed ${m.file.toFixed(0)}; ratio to bare node ${(m.rss / bare.rss).toFixed(1)})`);

const bare = await idle(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' }), async () => true);
console.log('idle RSS, 29 personas loaded, control plane up:');
show('bare node', bare, bare);
show('embedded PGlite, first start (initdb)', await councilMemory({ DATABASE_URL: '' }, [], false), bare);
show('embedded PGlite, restarted on its data', await councilMemory({ DATABASE_URL: '' }), bare);
if (findPostgresBin()) {
  const cluster = await startPostgresCluster();
  try {
    show('Postgres server (DATABASE_URL)', await councilMemory({ DATABASE_URL: cluster.url }), bare);
  } finally {
    cluster.stop();
  }
}
await fake.stop();
