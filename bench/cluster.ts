/**
 * N control processes (`main.ts control`) on one throwaway Postgres with the
 * Ollama fake, under a mixed /v1 load (chats, consults, meetings started in
 * the background). Three phases: one process (baseline), N processes (same
 * load: throughput ratio), then N processes with faults: one process killed
 * with SIGKILL while it runs meetings, and one `pg_ctl restart -m fast`.
 * Prints requests ok/failed, meetings completed/started, duplicate and lost
 * turns (gaps or repeats in each meeting's seq), takeover time p50/max.
 *   npx tsx bench/cluster.ts [--nodes 3] [--seconds 20] [--concurrency 12] [--ttft 40] [--token-ms 4] [--lease-ms 30000]
 * Ports 44000-44099. Default lease timings are the production ones, so the takeover time is the real one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { cliCaller } from '../core/memory/scope.js';
import { packageRoot } from '../core/paths.js';
import { defaultResponder, startFakeOllama } from '../test/fakes/ollama/index.js';
import { restartPostgres } from '../test/faults/pgRestart.js';
import { openTestCouncil } from '../test/support/openTestCouncil.js';
import { startPostgresCluster } from '../test/support/postgresCluster.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '12' },
    ttft: { type: 'string', default: '40' },
    'token-ms': { type: 'string', default: '4' },
    'lease-ms': { type: 'string', default: '30000' },
  },
});
const nodeCount = Number(values.nodes);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const leaseMs = Number(values['lease-ms']);
const basePort = 44000;

const cluster = await startPostgresCluster();
const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
await admin.unsafe('create database council');
await admin.end();
const databaseUrl = cluster.url.replace(/\/postgres$/, '/council');
const fake = await startFakeOllama({ parallel: 64 });
fake.setLatency({ ttftMs: Number(values.ttft), tokenMs: Number(values['token-ms']) });
let said = 0;
fake.setResponder((req) => (req.format ? defaultResponder(req) : `Point ${++said}: a short, considered contribution to the discussion.`));

// Migrate once and make an API key for the load.
const setup = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl });
const apiKey = (await setup.council.keys.create('bench', cliCaller())).key;
await setup.dispose();

interface Node {
  index: number;
  url: string;
  child: ChildProcess;
  alive: boolean;
  log: string;
}
const children: Node[] = [];

async function startNode(index: number): Promise<Node> {
  const port = basePort + index;
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot, 'main.ts'), 'control'], {
    cwd: packageRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: databaseUrl,
      OLLAMA_BASE_URL: fake.url,
      OLLAMA_NUM_PARALLEL: '16',
      CONTROL_PORT: String(port),
      CONTROL_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: `/tmp/council-bench-cluster-${index}`,
      MEETING_LEASE_MS: String(leaseMs),
      MEETING_LEASE_RENEW_MS: String(Math.floor(leaseMs / 3)),
      MEETING_SUPERVISE_MS: String(Math.min(10_000, Math.floor(leaseMs / 3))),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node: Node = { index, url: `http://127.0.0.1:${port}`, child, alive: true, log: '' };
  child.stdout!.on('data', (chunk: Buffer) => (node.log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (node.log += chunk.toString()));
  child.once('exit', () => (node.alive = false));
  children.push(node);
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${node.url}/healthz`).then((r) => r.ok).catch(() => false))) {
    if (Date.now() > deadline || !node.alive) throw new Error(`node ${index} did not start: ${node.log.slice(-500)}`);
    await sleep(100);
  }
  return node;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const agents = ['backend_developer', 'cto', 'qa_engineer', 'cloud_architect', 'product_manager'];
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)] as T;

interface Tally {
  ok: number;
  failed: number;
  meetings: string[];
}

/** `concurrency` workers send requests to random live nodes until the deadline. */
async function load(nodes: Node[], ms: number, withMeetings: boolean): Promise<Tally> {
  const tally: Tally = { ok: 0, failed: 0, meetings: [] };
  const deadline = Date.now() + ms;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (Date.now() < deadline) {
        const live = nodes.filter((n) => n.alive);
        const node = pick(live);
        const roll = Math.random();
        try {
          let res: Response;
          if (withMeetings && roll < 0.1) {
            res = await fetch(`${node.url}/v1/meetings`, { method: 'POST', headers, signal: AbortSignal.timeout(30_000), body: JSON.stringify({ type: 'daily_standup', title: `Bench ${worker}`, topics: ['Yesterday', 'Today'] }) });
            if (res.ok) tally.meetings.push(((await res.json()) as { id: string }).id);
          } else if (roll < 0.35) {
            const first = pick(agents);
            res = await fetch(`${node.url}/v1/consult`, { method: 'POST', headers, signal: AbortSignal.timeout(30_000), body: JSON.stringify({ message: 'How should we scale this?', agents: [first, pick(agents.filter((a) => a !== first))], session: `w${worker}` }) });
          } else {
            res = await fetch(`${node.url}/v1/agents/${pick(agents)}/chat`, { method: 'POST', headers, signal: AbortSignal.timeout(30_000), body: JSON.stringify({ message: 'A quick question about our rollout plan.', session: `w${worker}` }) });
          }
          if (res.ok) tally.ok++;
          else tally.failed++;
          if (!res.bodyUsed) await res.arrayBuffer();
        } catch {
          tally.failed++;
        }
      }
    }),
  );
  return tally;
}

const progress = (line: string) => process.stderr.write(`[cluster] ${line}\n`);
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN);

try {
  // Phase 1 and 2: chats and consults only, so the numbers are requests per second.
  const one = [await startNode(0)];
  const single = await load(one, seconds * 1000, false);
  progress(`one process: ${single.ok} ok`);
  const nodes = [one[0]!];
  for (let i = 1; i < nodeCount; i++) nodes.push(await startNode(i));
  const many = await load(nodes, seconds * 1000, false);
  progress(`${nodeCount} processes: ${many.ok} ok`);

  // Phase 3: mixed load with meetings; kill one process while it runs meetings, then restart Postgres.
  const db = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const victimMeetings: string[] = [];
  // Slower tokens, so meetings are mid-way when the process dies.
  fake.setLatency({ ttftMs: Number(values.ttft), tokenMs: Math.max(20, Number(values['token-ms'])) });
  const faulted = load(nodes, seconds * 2 * 1000, true);
  const victim = nodes.at(-1)!;
  const pid = victim.child.pid!;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${victim.url}/v1/meetings`, { method: 'POST', headers, body: JSON.stringify({ type: 'daily_standup', title: `Victim ${i}`, topics: ['Yesterday', 'Today', 'Blockers'] }) });
    if (res.ok) victimMeetings.push(((await res.json()) as { id: string }).id);
  }
  await sleep(seconds * 500);
  const held = (await db`select m.id from meetings m where m.status = 'running' and m.runner_id like ${`%:${pid}:%`} and exists (select 1 from meeting_turns t where t.meeting_id = m.id)`).map((r) => r.id as string);
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  progress(`killed node ${victim.index} (pid ${pid}) holding ${held.length} meetings`);
  const takeovers = new Map<string, number>();
  const watch = (async () => {
    while (takeovers.size < held.length && Date.now() - killedAt < 120_000) {
      for (const row of await db`select id, runner_id, status from meetings where id = any(${held})`.catch(() => [])) {
        if (!takeovers.has(row.id) && (!String(row.runner_id).includes(`:${pid}:`) || !['running', 'interrupted'].includes(row.status))) takeovers.set(row.id, Date.now() - killedAt);
      }
      await sleep(250);
    }
  })();
  await sleep(seconds * 500);
  const restartStarted = Date.now();
  restartPostgres(cluster);
  const restartMs = Date.now() - restartStarted;
  progress(`postgres restarted in ${restartMs} ms`);
  const mixed = await faulted;
  progress(`load done: ${mixed.ok} ok / ${mixed.failed} failed; waiting for takeovers and meetings`);
  mixed.meetings.push(...victimMeetings);
  await watch;

  // Let every meeting started reach an end (supervisors resume what the restart interrupted).
  const settleDeadline = Date.now() + Math.max(90_000, leaseMs * 3);
  let statuses: Array<{ id: string; status: string }> = [];
  for (;;) {
    statuses = (await db`select id, status from meetings where id = any(${mixed.meetings})`.catch(() => [])) as unknown as typeof statuses;
    if (statuses.every((s) => ['completed', 'cancelled', 'failed'].includes(s.status)) || Date.now() > settleDeadline) break;
    await sleep(500);
  }
  const turns = (await db`select meeting_id, seq from meeting_turns where meeting_id = any(${mixed.meetings}) order by meeting_id, seq`) as unknown as Array<{ meeting_id: string; seq: number }>;
  let duplicates = 0;
  let lost = 0;
  const byMeeting = new Map<string, number[]>();
  for (const t of turns) byMeeting.set(t.meeting_id, [...(byMeeting.get(t.meeting_id) ?? []), t.seq]);
  for (const seqs of byMeeting.values()) {
    duplicates += seqs.length - new Set(seqs).size;
    lost += Math.max(...seqs) - new Set(seqs).size;
  }
  await db.end();

  const takeoverTimes = [...takeovers.values()].sort((a, b) => a - b);
  const completed = statuses.filter((s) => s.status === 'completed').length;
  const rate = (t: Tally) => t.ok / seconds;
  console.log(`nodes: ${nodeCount}, workers: ${concurrency}, phase: ${seconds}s, lease: ${leaseMs} ms`);
  console.log(`1 process:  ${single.ok} ok / ${single.failed} failed, ${rate(single).toFixed(1)} req/s`);
  console.log(`${nodeCount} processes: ${many.ok} ok / ${many.failed} failed, ${rate(many).toFixed(1)} req/s, throughput vs one process: ${(rate(many) / rate(single)).toFixed(2)}x`);
  console.log(`with faults (1 process SIGKILLed holding ${held.length} meetings, Postgres restarted in ${(restartMs / 1000).toFixed(1)} s): requests ${mixed.ok} ok / ${mixed.failed} failed`);
  console.log(`meetings completed / started: ${completed} / ${mixed.meetings.length} (${statuses.filter((s) => s.status !== 'completed').map((s) => s.status).join(', ') || 'all completed'})`);
  console.log(`duplicate turns: ${duplicates}, lost turns: ${lost}`);
  console.log(`takeover time: p50 ${(pct(takeoverTimes, 0.5) / 1000).toFixed(1)} s, max ${(takeoverTimes.at(-1)! / 1000).toFixed(1)} s over ${takeoverTimes.length}/${held.length} meetings`);
} finally {
  for (const node of children) if (node.alive) node.child.kill('SIGKILL');
  await fake.stop();
  cluster.stop();
}
process.exit(0);
