/**
 * Idle resident memory of a started Council (`node dist/main.js`: control plane,
 * embedded PGlite, all 29 personas loaded), next to a bare Node process.
 * Build first: npm run build && npx tsx bench/idleRss.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageRoot } from '../core/paths.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';
import { findPostgresBin, startPostgresCluster } from '../test/support/postgresCluster.js';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function idle(child: ChildProcess, ready: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('process did not become ready');
    await sleep(200);
  }
  await sleep(5_000);
  const rss = rssMb(child.pid!);
  child.kill('SIGTERM');
  return rss;
}

const fake = await startFakeOllama();
const dataDir = mkdtempSync(join(tmpdir(), 'council-rss-'));

async function councilRss(extraEnv: Record<string, string>): Promise<number> {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [join(packageRoot, 'dist', 'main.js'), 'control'], {
    env: { ...process.env, DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, CONTROL_PORT: String(port), CONTROL_HOST: '127.0.0.1', LOG_LEVEL: 'warn', DISCORD_TOKEN: '', ...extraEnv },
    stdio: 'inherit',
  });
  const rss = await idle(child, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200);
  await new Promise((resolve) => child.once('exit', resolve));
  return rss;
}

const bareRss = await idle(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' }), async () => true);
const embedded = await councilRss({ DATABASE_URL: '' });
console.log(`idle RSS, 29 personas loaded, control plane up: embedded PGlite ${embedded.toFixed(0)} MB (bare node ${bareRss.toFixed(0)} MB, ratio ${(embedded / bareRss).toFixed(1)})`);
if (findPostgresBin()) {
  const cluster = await startPostgresCluster();
  try {
    const server = await councilRss({ DATABASE_URL: cluster.url });
    console.log(`idle RSS on a Postgres server (DATABASE_URL): ${server.toFixed(0)} MB (ratio to bare node ${(server / bareRss).toFixed(1)})`);
  } finally {
    cluster.stop();
  }
}
rmSync(dataDir, { recursive: true, force: true });
await fake.stop();
