import { contextOf } from '../../core/contextOf.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { jobRuns } from '../../core/db/schema.js';
import { createJobs, type JobDefinition } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { registry } from '../../core/metrics.js';
import { startFakeOllama, type FakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { openCluster, waitFor } from './support.js';

const log = createLogger('silent');
let fake: FakeOllama;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let nodes: TestCouncil[] = [];

const counter = async (name: string, outcome: string) =>
  (await registry.getSingleMetric('council_job_runs_total')!.get()).values.find((v) => v.labels.job_name === name && v.labels.outcome === outcome)?.value;

describe.skipIf(!hasPostgres)('jobs across processes on one Postgres', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    database = await createTestDatabase();
    nodes = await openCluster(2, { ollamaUrl: fake.url, databaseUrl: database.url, env: { ADMIN_TOKEN: 'admin-token-0123456789abcdef' } });
  });
  afterAll(async () => {
    for (const node of nodes) await node.dispose();
    await database?.drop();
    await fake?.stop();
  });

  it('runs a schedule slot once when both processes fire it at the same moment', async () => {
    let executions = 0;
    const definition: JobDefinition = { name: 'slot-job', description: 'counts', schedule: '0 * * * *', run: async () => ({ n: ++executions }) };
    const [a, b] = nodes.map((node, i) => createJobs({ council: node.council, log, definitions: [definition], runner: `node-${i}` }));
    const slot = new Date('2026-01-01T10:00:00Z');
    const runs = await Promise.all([a!.run('slot-job', 'schedule', slot), b!.run('slot-job', 'schedule', slot)]);
    expect(executions).toBe(1);
    expect(runs.map((r) => r.status).sort()).toEqual(['ok', 'skipped']);
    const rows = await contextOf(nodes[0]!.council).database.db.select().from(jobRuns).where(eq(jobRuns.name, 'slot-job'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'ok', scheduledFor: slot });
    expect(['node-0', 'node-1']).toContain(rows[0]!.runner);
  });

  it('with croner firing every second in both processes, each slot runs exactly once', async () => {
    const perSlot = new Map<number, number>();
    const definition: JobDefinition = {
      name: 'every-second',
      description: 'counts per slot',
      schedule: '* * * * * *',
      run: async ({ now }) => {
        const slot = Math.floor(now.getTime() / 1000);
        perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
        return {};
      },
    };
    const jobs = nodes.map((node, i) => createJobs({ council: node.council, log, definitions: [definition], runner: `cron-${i}` }));
    jobs.forEach((j) => j.start());
    const db = contextOf(nodes[0]!.council).database.db;
    await waitFor('four slots', async () => (await db.select().from(jobRuns).where(eq(jobRuns.name, 'every-second'))).filter((r) => r.status === 'ok').length >= 4, 20_000);
    jobs.forEach((j) => j.stop());
    const rows = (await db.select().from(jobRuns).where(eq(jobRuns.name, 'every-second'))).filter((r) => r.scheduledFor);
    const slots = rows.map((r) => r.scheduledFor!.getTime());
    expect(new Set(slots).size).toBe(slots.length);
    expect([...perSlot.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.runner)).size).toBeGreaterThanOrEqual(1);
  });

  it('answers 409 naming the process where the job is running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const definition: JobDefinition = { name: 'long-job', description: 'waits', schedule: '0 0 1 1 *', run: async () => (await gate, {}) };
    const busy = createJobs({ council: nodes[0]!.council, log, definitions: [definition], runner: 'busy-host:1:aaaa' }).run('long-job', 'manual');
    const db = contextOf(nodes[1]!.council).database.db;
    await waitFor('the run to be recorded', async () => (await db.select().from(jobRuns).where(eq(jobRuns.name, 'long-job'))).some((r) => r.status === 'running'));
    const app = createControlApp({ council: nodes[1]!.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: nodes[1]!.council, log, definitions: [definition] }) });
    const res = await app.request('/admin/jobs/long-job/run', { method: 'POST', headers: { authorization: 'Bearer admin-token-0123456789abcdef' } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('busy-host:1:aaaa');
    release();
    expect((await busy).status).toBe('ok');
  });

  it('initialises every outcome at 0 and reads the last success from job_runs at start', async () => {
    const definition: JobDefinition = { name: 'fresh-job', description: 'never ran', schedule: '0 0 1 1 *', run: async () => ({}) };
    const db = contextOf(nodes[0]!.council).database.db;
    const finished = new Date('2026-02-03T04:05:06Z');
    await db.insert(jobRuns).values({ name: 'fresh-job', trigger: 'schedule', status: 'ok', startedAt: finished, finishedAt: finished });
    const jobs = createJobs({ council: nodes[0]!.council, log, definitions: [definition] });
    expect(await counter('fresh-job', 'failed')).toBe(0);
    expect(await counter('fresh-job', 'unrecorded')).toBe(0);
    jobs.start();
    jobs.stop();
    const gauge = registry.getSingleMetric('council_job_last_success_timestamp_seconds')!;
    await waitFor('the gauge', async () => (await gauge.get()).values.find((v) => v.labels.job_name === 'fresh-job')?.value === finished.getTime() / 1000);
  });

  it('a job whose database is gone is counted as unrecorded and the process carries on', async () => {
    const own = await createTestDatabase();
    const node = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: own.url });
    try {
      const definition: JobDefinition = { name: 'db-down-job', description: 'needs the database', schedule: '0 0 1 1 *', run: async () => ({}) };
      const jobs = createJobs({ council: node.council, log, definitions: [definition] });
      await own.drop();
      const run = await jobs.run('db-down-job', 'schedule', new Date());
      expect(run.status).toBe('failed');
      expect(run.error).toContain('the database did not answer');
      expect(run.error).not.toMatch(/insert into|select /i);
      expect(await counter('db-down-job', 'unrecorded')).toBe(1);
    } finally {
      await node.close().catch(() => {});
    }
  });
});
