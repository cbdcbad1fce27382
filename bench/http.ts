/**
 * GET /healthz and /metrics throughput and p99 of the control plane against a
 * bare Hono app serving the same things, side by side in one run.
 *   npx tsx bench/http.ts [--seconds 5] [--connections 20]
 */
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
// @ts-expect-error autocannon ships no types; the bench reads three documented fields of its result.
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { startControlServer } from '../control/startControlServer.js';
import { createJobs } from '../core/jobs/index.js';
import { createLogger } from '../core/log.js';
import { registry, renderMetrics } from '../core/metrics.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';
import { openTestCouncil } from '../test/support/openTestCouncil.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '20' } } });
const duration = Number(values.seconds);
const connections = Number(values.connections);

const fake = await startFakeOllama();
const tc = await openTestCouncil({ ollamaUrl: fake.url });
const log = createLogger('silent');
const council = await startControlServer({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), port: 0, host: '127.0.0.1' });

const bare = new Hono().get('/healthz', (c) => c.json({ status: 'ok' })).get('/metrics', async (c) => c.body(await renderMetrics(), 200, { 'content-type': registry.contentType }));
const bareServer = await new Promise<{ url: string; close: () => void }>((resolve) => {
  const server = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ url: `http://127.0.0.1:${info.port}`, close: () => server.close() }));
});

async function load(url: string) {
  const result = await autocannon({ url, duration, connections });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

console.log(`autocannon, ${connections} connections, ${duration} s per run, runs alternate bare / council`);
for (const path of ['/healthz', '/metrics']) {
  const bareResult = await load(`${bareServer.url}${path}`);
  const councilResult = await load(`${council.url}${path}`);
  console.log(
    `${path.padEnd(9)} bare hono ${bareResult.rps.toFixed(0).padStart(6)} req/s p99 ${String(bareResult.p99).padStart(3)} ms | council ${councilResult.rps.toFixed(0).padStart(6)} req/s p99 ${String(councilResult.p99).padStart(3)} ms | ratio ${(councilResult.rps / bareResult.rps).toFixed(2)} (target >= 0.8)${councilResult.errors + bareResult.errors ? ` errors ${councilResult.errors + bareResult.errors}` : ''}`,
  );
}
bareServer.close();
await council.close();
await tc.dispose();
await fake.stop();
