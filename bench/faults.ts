/**
 * Faults an operator meets, against a real `main.ts` child process:
 * 1. Postgres (a throwaway cluster) restarted with `pg_ctl restart -m fast`
 *    while 32 chats are in flight, --restarts times. Prints restarts survived
 *    / tried and requests ok / failed (a clean 5xx) / lost (no answer, a
 *    non-JSON answer, or a 2xx whose exchange is not stored exactly once);
 *    then the chat time inside restart windows (p95, max) against the same
 *    batch with no restart, and how long chats take to get their 503 while
 *    Postgres is down. Goals: p95 <= 5 s, max <= 10 s, 503 within 3 s.
 * 2. Ollama stalls mid-reply with OLLAMA_STALL_MS=2000 and one slot: how long
 *    until the stalled caller hears, and whether the queued caller is served.
 * 3. Ollama stopped, then started again: seconds until /readyz says ready and
 *    until council_ollama_backend_up is 1 with nobody calling /readyz.
 *   npx tsx bench/faults.ts [--restarts 20] [--concurrent 32]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { restartPostgres, stopPostgres } from '../test/faults/pgRestart.js';
import { chatOver, createApiKey, metricValue, startMain, waitFor } from '../test/faults/support.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';
import { findPostgresBin, startPostgresCluster } from '../test/support/postgresCluster.js';

const { values } = parseArgs({ options: { restarts: { type: 'string', default: '20' }, concurrent: { type: 'string', default: '32' } } });
const restarts = Number(values.restarts);
const concurrent = Number(values.concurrent);
const goals = { p95: 5, max: 10, outage503: 3 };

interface Sent {
  message: string;
  status: number;
  body: { error?: { code: string } };
  seconds: number;
}

async function timedChat(url: string, key: string, message: string): Promise<Sent> {
  const started = performance.now();
  const outcome = await chatOver(url, key, message, randomUUID());
  return { message, ...outcome, seconds: (performance.now() - started) / 1000 };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function postgresRestarts(): Promise<void> {
  if (!findPostgresBin()) return void console.log('postgres restarts: skipped (no Postgres server binaries)');
  const fake = await startFakeOllama({ latency: { ttftMs: 20, tokenMs: 4 } });
  const cluster = await startPostgresCluster();
  const main = await startMain({ DATABASE_URL: cluster.url, OLLAMA_BASE_URL: fake.url, OLLAMA_NUM_PARALLEL: '8', LOG_LEVEL: 'error' });
  let survived = 0;
  const sent: Sent[] = [];
  const calm: Sent[] = [];
  let lost = 0;
  try {
    const key = await createApiKey(main.url);
    const batch = (label: string, into: Sent[]) =>
      Array.from({ length: concurrent }, (_, i) =>
        timedChat(main.url, key, `bench ${label} question ${i} ${randomUUID()}`).then(
          (outcome) => void into.push(outcome),
          () => void lost++,
        ),
      );
    for (let round = 0; round < restarts; round++) {
      // The same batch with no restart, beside each restarted one: the baseline on this machine, now.
      await Promise.all(batch(`calm ${round}`, calm));
      const inFlight = batch(`round ${round}`, sent);
      await new Promise((resolve) => setTimeout(resolve, 30 + (round % 5) * 40));
      restartPostgres(cluster);
      await Promise.all(inFlight);
      if (main.child.exitCode !== null) break;
      survived++;
    }
    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    const rows = await sql<Array<{ content: string; n: number }>>`select content, count(*)::int as n from messages where role = 'user' group by content`;
    await sql.end();
    const stored = new Map(rows.map((row) => [row.content, row.n]));
    const all = [...sent, ...calm];
    const ok = all.filter((o) => o.status === 200 && stored.get(o.message) === 1).length;
    const failed = all.filter((o) => o.status >= 500 && o.body.error?.code && o.body.error.code !== 'not_json').length;
    lost += all.length - ok - failed;
    const races = await metricValue(main.url, 'council_unhandled_errors_total{kind="postgres_socket_race"}').catch(() => null);
    console.log(`postgres restarts survived ${survived} / ${restarts} tried; requests ok ${ok} / failed ${failed} / lost ${lost}; driver socket races contained: ${races ?? 'n/a'}`);

    const times = sent.map((o) => o.seconds);
    const calmTimes = calm.map((o) => o.seconds);
    const [p95, max, calmP95] = [quantile(times, 0.95), Math.max(...times), quantile(calmTimes, 0.95)];
    console.log(
      `chat time inside restart windows: p95 ${p95.toFixed(2)} s (goal <= ${goals.p95} s: ${verdict(p95 <= goals.p95)}), ` +
        `max ${max.toFixed(2)} s (goal <= ${goals.max} s: ${verdict(max <= goals.max)}), over 10 s: ${times.filter((s) => s > 10).length}; ` +
        `same batch with no restart: p95 ${calmP95.toFixed(2)} s (restart/no restart p95 x${(p95 / calmP95).toFixed(1)})`,
    );

    const startAgain = stopPostgres(cluster);
    const down: Sent[] = [];
    try {
      await Promise.all(batch('outage', down));
    } finally {
      startAgain();
    }
    const answered = down.filter((o) => o.status === 503).map((o) => o.seconds);
    const worst = Math.max(...answered);
    console.log(
      `Postgres down: ${answered.length} / ${down.length} chats answered 503; slowest after ${worst.toFixed(2)} s, median ${quantile(answered, 0.5).toFixed(2)} s ` +
        `(goal 503 within ${goals.outage503} s: ${verdict(answered.length === down.length && worst <= goals.outage503)})`,
    );
  } finally {
    await main.stop();
    await fake.stop();
    cluster.stop();
  }
}

async function stallAndRecovery(): Promise<void> {
  const fake = await startFakeOllama({ latency: { ttftMs: 20, tokenMs: 10 } });
  const dataDir = mkdtempSync(join(tmpdir(), 'council-bench-faults-'));
  const main = await startMain({ DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, OLLAMA_NUM_PARALLEL: '1', OLLAMA_STALL_MS: '2000', OLLAMA_RETRIES: '0', LOG_LEVEL: 'error' });
  try {
    const key = await createApiKey(main.url);
    fake.failNext({ mode: 'stall-after-tokens', tokens: 3 });
    const started = performance.now();
    const stalled = chatOver(main.url, key, 'a question the model chokes on', 'stall-a').then((o) => ({ ...o, s: (performance.now() - started) / 1000 }));
    const queued = chatOver(main.url, key, 'a question queued behind it', 'stall-b').then((o) => ({ ...o, s: (performance.now() - started) / 1000 }));
    const [a, b] = await Promise.all([stalled, queued]);
    console.log(`stall: stalled caller answered ${a.status} ${a.body.error?.code ?? ''} after ${a.s.toFixed(1)} s (OLLAMA_STALL_MS 2 s); queued caller ${b.status} after ${b.s.toFixed(1)} s`);

    await fake.stop();
    await waitFor(() => '/readyz never went not-ready', async () => (await fetch(`${main.url}/readyz`)).status === 503, 30_000);
    await waitFor(() => 'backend_up never went 0', async () => (await metricValue(main.url, `council_ollama_backend_up{backend="${fake.url}"}`)) === 0, 60_000);
    const back = performance.now();
    await fake.restart();
    const readyWatch = waitFor(() => '/readyz never ready', async () => (await fetch(`${main.url}/readyz`)).status === 200, 60_000).then(() => (performance.now() - back) / 1000);
    const ready = await readyWatch;
    // A second process nobody probes: the gauge alone must follow Ollama back.
    await fake.stop();
    const quietDir = mkdtempSync(join(tmpdir(), 'council-bench-faults-'));
    const quiet = await startMain({ DATA_DIR: quietDir, OLLAMA_BASE_URL: fake.url, LOG_LEVEL: 'error' });
    try {
      await waitFor(() => 'backend_up never 0', async () => (await metricValue(quiet.url, `council_ollama_backend_up{backend="${fake.url}"}`)) === 0, 60_000);
      const again = performance.now();
      await fake.restart();
      await waitFor(() => 'backend_up never back to 1', async () => (await metricValue(quiet.url, `council_ollama_backend_up{backend="${fake.url}"}`)) === 1, 60_000);
      const gauge = (performance.now() - again) / 1000;
      console.log(`ollama back: /readyz ready after ${ready.toFixed(1)} s; council_ollama_backend_up back to 1 after ${gauge.toFixed(1)} s with nobody calling /readyz (probe every 15 s)`);
    } finally {
      await quiet.stop();
      rmSync(quietDir, { recursive: true, force: true });
    }
  } finally {
    await main.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await postgresRestarts();
await stallAndRecovery();
