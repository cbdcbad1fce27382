import { contextOf } from '../../core/contextOf.js';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRuns, memories, messages } from '../../core/db/schema.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
const log = createLogger('silent');
const day = 86_400_000;

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { MEMORY_RETENTION_DAYS: '30', HISTORY_COMPACT_AFTER_DAYS: '7', JOB_RUN_RETENTION_DAYS: '10' } });
});
afterAll(async () => {
  await tc.dispose();
  await fake.stop();
});

describe('maintenance jobs', () => {
  it('prunes unimportant unused memories and compacts old history on a fake clock', async () => {
    const db = contextOf(tc.council).database.db;
    const now = new Date();
    await db.insert(memories).values([
      { agentId: 'cto', kind: 'note', content: 'old small talk', importance: 0.1, lastAccessedAt: new Date(now.getTime() - 60 * day) },
      { agentId: 'cto', kind: 'fact', content: 'old but important', importance: 0.9, lastAccessedAt: new Date(now.getTime() - 60 * day) },
      { agentId: 'cto', kind: 'note', content: 'unimportant but recently used', importance: 0.1, lastAccessedAt: now },
      { agentId: 'cto', kind: 'fact', content: 'staging frozen until yesterday', importance: 0.9, lastAccessedAt: now, expiresAt: new Date(now.getTime() - day) },
      { agentId: 'cto', kind: 'fact', content: 'staging frozen until tomorrow', importance: 0.9, lastAccessedAt: now, expiresAt: new Date(now.getTime() + day) },
    ]);
    for (let i = 0; i < 3; i++) await tc.council.chatWithAgent('cto', `Old question ${i}`, { scope: 'cli:old' });
    await db.update(messages).set({ createdAt: sql`now() - interval '20 days' + (interval '1 second' * extract(epoch from created_at - now()))` });
    await tc.council.chatWithAgent('cto', 'A new question', { scope: 'cli:old' });

    fake.setResponder((req) => (req.messages[0]?.content.startsWith('Summarise') ? 'They asked three old questions.' : 'ok'));
    const jobs = createJobs({ council: tc.council, log, clock: () => now });
    const run = await jobs.run('memory-prune', 'manual');
    fake.setResponder(null);
    expect(run.status).toBe('ok');
    expect(run.detail).toMatchObject({ memoriesDeleted: 2, conversationsCompacted: 1, messagesCompacted: 6 });
    const left = (await tc.council.memory.list({ agentId: 'cto' })).map((m) => m.content);
    expect(left).toContain('old but important');
    expect(left).toContain('unimportant but recently used');
    expect(left).not.toContain('old small talk');
    expect(left).not.toContain('staging frozen until yesterday');
    expect(left).toContain('staging frozen until tomorrow');

    await tc.council.chatWithAgent('cto', 'What did I ask before?', { scope: 'cli:old' });
    const prompt = (fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format).at(-1)!.body as { messages: Array<{ content: string }> }).messages;
    expect(prompt.some((m) => m.content.includes('They asked three old questions.'))).toBe(true);
    expect(prompt.some((m) => m.content.includes('A new question'))).toBe(true);
    expect(prompt.some((m) => m.content.includes('Old question 0'))).toBe(false);
  });

  it('falls back to an extractive summary when Ollama is down, losing nothing', async () => {
    const db = contextOf(tc.council).database.db;
    await tc.council.chatWithAgent('qa_engineer', 'The flaky test is login_spec', { scope: 'cli:fb' });
    await db.update(messages).set({ createdAt: new Date(Date.now() - 30 * day) });
    fake.failNext({ count: 20, status: 500, error: 'down' });
    const run = await createJobs({ council: tc.council, log }).run('memory-prune', 'manual');
    fake.failNext({ count: 0 });
    expect(run.status).toBe('ok');
    const rows = await db.select().from(messages).where(eq(messages.role, 'summary'));
    expect(rows.some((row) => row.content.includes('login_spec'))).toBe(true);
  });

  it('never overlaps a job with itself and records every run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const jobs = createJobs({ council: tc.council, log, definitions: [{ name: 'slow', description: 'waits', schedule: '0 0 * * *', run: async () => (await gate, { done: true }) }] });
    const first = jobs.run('slow', 'manual');
    const second = await jobs.run('slow', 'schedule');
    expect(second.status).toBe('skipped');
    release();
    expect((await first).status).toBe('ok');
    const rows = await contextOf(tc.council).database.db.select().from(jobRuns).where(eq(jobRuns.name, 'slow'));
    expect(rows.map((r) => r.status).sort()).toEqual(['ok', 'skipped']);
  });

  it('records a failing job and computes the next run from the clock', async () => {
    const jobs = createJobs({
      council: tc.council,
      log,
      clock: () => new Date('2026-03-15T12:00:00Z'),
      definitions: [{ name: 'broken', description: 'fails', schedule: '0 3 1 * *', run: async () => { throw new Error('disk full'); } }],
    });
    const run = await jobs.run('broken', 'manual');
    expect(run).toMatchObject({ status: 'failed', error: 'disk full' });
    const [listed] = await jobs.list();
    expect(listed!.nextRun?.getUTCMonth()).toBe(3);
    expect(listed!.nextRun?.getUTCDate()).toBe(1);
    expect(listed!.lastRuns[0]!.status).toBe('failed');
  });

  it('deletes old run records in cleanup', async () => {
    const db = contextOf(tc.council).database.db;
    await db.insert(jobRuns).values({ name: 'ancient', trigger: 'schedule', status: 'ok', startedAt: new Date(Date.now() - 40 * day), finishedAt: new Date(Date.now() - 40 * day) });
    const run = await createJobs({ council: tc.council, log }).run('cleanup', 'manual');
    expect((run.detail as { runsDeleted: number }).runsDeleted).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(jobRuns).where(eq(jobRuns.name, 'ancient'))).toHaveLength(0);
  });
});
