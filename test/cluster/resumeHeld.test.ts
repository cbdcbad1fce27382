import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultResponder, startFakeOllama, type FakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { runCliForTest } from '../support/runCliForTest.js';
import { runMeetingChild, waitFor } from './support.js';

let fake: FakeOllama;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), 'council-resume-held-'));
let said = 0;

/** A meeting created and not run, for a child process to run. */
async function createMeeting(title: string): Promise<string> {
  const tc = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url, dataDir });
  try {
    return (await tc.council.createMeeting({ type: 'daily_standup', title, topics: ['Yesterday', 'Today'] })).id;
  } finally {
    await tc.close();
  }
}

const status = async (id: string) => JSON.parse((await runCliForTest(['meeting', 'show', id, '--json'], env)).stdout) as { status: string; turns: Array<{ seq: number; content: string }> };

describe.skipIf(!hasPostgres)('council meeting resume on Postgres while another runner holds the lease', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    fake.setResponder((req) => (req.format ? defaultResponder(req) : `Point ${++said} from this speaker, with a few words to stream.`));
    database = await createTestDatabase();
    env = { OLLAMA_BASE_URL: fake.url, DATABASE_URL: database.url, DATA_DIR: dataDir, OLLAMA_RETRIES: '1' };
  });
  afterAll(async () => {
    await database?.drop();
    await fake?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a runner killed with -9: resume counts down on stderr until its lease runs out, then runs the meeting to its end', { timeout: 240_000 }, async () => {
    const id = await createMeeting('Killed runner');
    fake.setLatency({ ttftMs: 0, tokenMs: 25 });
    // A lease long enough that the resume below surely starts inside it, renewed often.
    const child = runMeetingChild(id, { ...env, MEETING_LEASE_MS: '15000', MEETING_LEASE_RENEW_MS: '500' });
    try {
      await waitFor('a turn stored by the child', () => child.lines.some((l) => l.type === 'turn_done'), 45_000);
      child.child.kill('SIGKILL');
      await child.exited;
      const before = await status(id);
      expect(before.status).toBe('running');
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
      const resumed = await runCliForTest(['meeting', 'resume', id, '--no-input', '--json'], env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(/council: \S+:\d+:\S+ holds this meeting and has not renewed its lease; waiting \d+ s for it to run out/);
      const view = JSON.parse(resumed.stdout) as { status: string; turns: Array<{ seq: number; content: string }> };
      expect(view.status).toBe('completed');
      expect(view.turns.map((t) => t.seq)).toEqual(view.turns.map((_, i) => i + 1));
      for (const kept of before.turns) expect(view.turns.find((t) => t.seq === kept.seq)?.content).toBe(kept.content);
    } finally {
      child.child.kill('SIGKILL');
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    }
  });

  it('a live runner renews its lease: resume says the meeting carries on there, naming it, and leaves it to that runner', { timeout: 240_000 }, async () => {
    const id = await createMeeting('Live runner');
    fake.setLatency({ ttftMs: 0, tokenMs: 40 });
    const child = runMeetingChild(id, { ...env, MEETING_LEASE_MS: '15000', MEETING_LEASE_RENEW_MS: '500' });
    try {
      await waitFor('a turn stored by the child', () => child.lines.some((l) => l.type === 'turn_done'), 45_000);
      expect((await runCliForTest(['meeting', 'pause', id], env)).code).toBe(0);
      await waitFor('the child to pause', () => child.lines.some((l) => l.type === 'meeting_paused'), 30_000);
      const resumed = await runCliForTest(['meeting', 'resume', id], env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(new RegExp(`^meeting ${id} resumes where it paused; it carries on elsewhere, in \\S+:${child.child.pid}:\\S+\\n$`));
      await waitFor('the child to resume', () => child.lines.some((l) => l.type === 'meeting_resumed'), 30_000);
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
      expect(await child.exited).toBe(0);
      expect(child.lines.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
    } finally {
      child.child.kill('SIGKILL');
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    }
  });
});
