import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { runCliForTest } from '../support/runCliForTest.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOllama();
  dataDir = mkdtempSync(join(tmpdir(), 'council-cli-'));
  env = { OLLAMA_BASE_URL: fake.url, DATA_DIR: dataDir };
});
afterAll(async () => {
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('council CLI', () => {
  it('lists the 29 agents as JSON with the documented fields', async () => {
    const { code, stdout } = await runCliForTest(['agents', '--json'], env);
    expect(code).toBe(0);
    const agents = JSON.parse(stdout);
    expect(agents).toHaveLength(29);
    expect(Object.keys(agents[0]).sort()).toEqual(['category', 'expertise', 'id', 'name', 'temperature', 'title']);
    expect(new Set(agents.map((a: { category: string }) => a.category))).toEqual(new Set(['developer', 'manager', 'architect', 'specialist']));
  });

  it('asks one agent and keeps the session', async () => {
    const first = await runCliForTest(['ask', 'backend_developer', 'We', 'deploy', 'on', 'Fridays', '--session', 's1', '--json'], env);
    expect(first.code).toBe(0);
    const reply = JSON.parse(first.stdout);
    expect(reply).toMatchObject({ agent: 'backend_developer', session: 's1' });
    expect(reply.reply.length).toBeGreaterThan(0);
    await runCliForTest(['ask', 'backend_developer', 'When do we deploy?', '--session', 's1'], env);
    // The answer's own request: memory extraction after it also calls /api/chat, with structured output (`format`).
    const answers = fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format);
    const prompt = (answers.at(-1)!.body as { messages: Array<{ content: string }> }).messages;
    expect(prompt.some((m) => m.content.includes('We deploy on Fridays'))).toBe(true);
  });

  it('streams a plain-text reply without --json', async () => {
    const { code, stdout } = await runCliForTest(['ask', 'cto', 'hello'], env);
    expect(code).toBe(0);
    expect(stdout.trim().length).toBeGreaterThan(0);
    expect(() => JSON.parse(stdout)).toThrow();
  });

  it('consults several agents', async () => {
    const { code, stdout } = await runCliForTest(['consult', 'How', 'to', 'scale?', '--agents', 'solutions_architect,backend_developer', '--json'], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((r: { agent: string }) => r.agent)).toEqual(['solutions_architect', 'backend_developer']);
  });

  it('exits 2 on an unknown agent, naming it and close matches, with no stack trace', async () => {
    const { code, stderr, stdout } = await runCliForTest(['ask', 'backend_dev', 'hi'], env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('unknown agent "backend_dev"');
    expect(stderr).toContain('backend_developer');
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('exits 2 on bad usage and unknown commands', async () => {
    expect((await runCliForTest(['ask'], env)).code).toBe(2);
    expect((await runCliForTest(['agnets'], env)).stderr).toContain('did you mean agents');
    expect((await runCliForTest(['agents', '--bogus'], env)).code).toBe(2);
  });

  it('exits 1 naming the URL when Ollama is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const p = (server.address() as { port: number }).port;
        server.close(() => resolve(p));
      });
    });
    const { code, stderr } = await runCliForTest(['ask', 'cto', 'hi'], { ...env, OLLAMA_BASE_URL: `http://127.0.0.1:${port}` }, { defaultLogLevel: true });
    expect(code).toBe(1);
    expect(stderr).toContain(`http://127.0.0.1:${port}`);
    // The refused connection, not the generation budget running out: it did not wait.
    expect(stderr).toContain('cannot reach Ollama');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says which model to pull when the model is missing', async () => {
    const { code, stderr } = await runCliForTest(['ask', 'cto', 'hi'], { ...env, MODEL_NAME: 'llama9' });
    expect(code).toBe(1);
    expect(stderr).toContain('ollama pull llama9');
  });

  it('reports a bad setting in one line per value', async () => {
    const { code, stderr } = await runCliForTest(['agents'], { ...env, TEMPERATURE: 'warm' });
    expect(code).toBe(2);
    expect(stderr).toContain('TEMPERATURE="warm"');
  });

  it('lists and clears memories', async () => {
    await runCliForTest(['ask', 'ux_designer', 'Remember that our users are field engineers'], env);
    const listed = await runCliForTest(['memory', 'list', '--agent', 'ux_designer', '--json'], env);
    expect(JSON.parse(listed.stdout).map((m: { content: string }) => m.content).join()).toContain('field engineers');
    const unconfirmed = await runCliForTest(['memory', 'clear', '--agent', 'ux_designer'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    const cleared = await runCliForTest(['memory', 'clear', '--agent', 'ux_designer', '--yes', '--json'], env);
    expect(JSON.parse(cleared.stdout).memories).toBe(1);
    expect(JSON.parse((await runCliForTest(['memory', 'list', '--agent', 'ux_designer', '--json'], env)).stdout)).toEqual([]);
  });

  it('exports and imports NDJSON', async () => {
    const exported = await runCliForTest(['export'], env);
    expect(exported.code).toBe(0);
    const file = join(dataDir, 'backup.ndjson');
    writeFileSync(file, exported.stdout);
    expect((await runCliForTest(['memory', 'clear', '--all', '--yes'], env)).code).toBe(0);
    const imported = await runCliForTest(['import', file, '--json'], env);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).messages).toBe(exported.stdout.split('\n').filter((l) => l.includes('"type":"message"')).length);
    const bad = await runCliForTest(['import', join(dataDir, 'missing.ndjson')], env);
    expect(bad.code).toBe(2);
  });
});

describe('council meeting', () => {
  it('lists the meeting types as JSON', async () => {
    const { code, stdout } = await runCliForTest(['meeting', 'types', '--json'], env);
    expect(code).toBe(0);
    const types = JSON.parse(stdout);
    expect(types.length).toBeGreaterThanOrEqual(20);
    expect(types[0]).toHaveProperty('facilitator');
    expect(types.map((t: { id: string }) => t.id)).toContain('incident_postmortem');
  });

  it('starts a meeting, shows it and prints its minutes', async () => {
    const started = await runCliForTest(['meeting', 'start', 'sprint_planning', '--title', 'Sprint 42', '--topic', 'Goal', '--topic', 'Capacity', '--participants', 'product_manager,backend_developer', '--json'], env);
    expect(started.code).toBe(0);
    const meeting = JSON.parse(started.stdout);
    expect(meeting).toMatchObject({ type: 'sprint_planning', title: 'Sprint 42', status: 'completed', participants: ['product_manager', 'backend_developer'] });
    expect(meeting.turns[0]).toMatchObject({ topic: 'Goal', agent: 'scrum_master', round: 0 });
    expect(meeting.minutes.summary.length).toBeGreaterThan(0);
    const shown = JSON.parse((await runCliForTest(['meeting', 'show', meeting.id, '--json'], env)).stdout);
    expect(shown.turns).toEqual(meeting.turns);
    const minutes = await runCliForTest(['meeting', 'minutes', meeting.id], env);
    expect(minutes.stdout).toContain('# Sprint 42');
    expect(minutes.stdout).toContain('## Action items');
    const listed = JSON.parse((await runCliForTest(['meeting', 'list', '--json'], env)).stdout);
    expect(listed.map((m: { id: string }) => m.id)).toContain(meeting.id);
  });

  it('streams turns live without --json', async () => {
    const { code, stdout } = await runCliForTest(['meeting', 'start', 'daily_standup', '--title', 'Standup', '--topic', 'Today'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('## Topic 1: Today');
    expect(stdout).toContain('(Scrum Master');
    expect(stdout).toContain('## Summary');
  });

  it('exits 2 for an unknown type, an unknown participant and a missing topic', async () => {
    const unknownType = await runCliForTest(['meeting', 'start', 'retro', '--title', 'x', '--topic', 'y'], env);
    expect(unknownType.code).toBe(2);
    expect(unknownType.stderr).toContain('unknown meeting type "retro"');
    const unknownAgent = await runCliForTest(['meeting', 'start', 'retrospective', '--title', 'x', '--topic', 'y', '--participants', 'bob'], env);
    expect(unknownAgent.code).toBe(2);
    expect(unknownAgent.stderr).toContain('unknown agent "bob"');
    const noTopic = await runCliForTest(['meeting', 'start', 'retrospective', '--title', 'x'], env);
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toContain('at least one topic');
    expect((await runCliForTest(['meeting', 'show', 'nope'], env)).code).toBe(2);
  });

  it('reports an interrupted meeting with the resume command, then resumes it', async () => {
    fake.failNext({ mode: 'drop-after-tokens', tokens: 1, count: 1 });
    fake.failNext({ count: 5, status: 500, error: 'gone' });
    const failed = await runCliForTest(['meeting', 'start', 'code_review', '--title', 'PR 7', '--topic', 'Diff', '--json'], env);
    expect(failed.code).toBe(1);
    const id = JSON.parse(failed.stdout).id;
    expect(failed.stderr).toContain(`council meeting resume ${id}`);
    fake.failNext({ count: 0 });
    const resumed = await runCliForTest(['meeting', 'resume', id, '--json'], env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).status).toBe('completed');
  });

  it('cancels on Ctrl-C and keeps the turns', async () => {
    fake.setLatency({ ttftMs: 0, tokenMs: 40 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    const result = await runCliForTest(['meeting', 'start', 'brainstorming', '--title', 'Ideas', '--topic', 'Names'], env, { signal: controller.signal });
    fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cancelled; \d+ turns kept/);
  });

  it('runs the guided demo', async () => {
    const { code, stdout } = await runCliForTest(['demo'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('1. A chat with the backend developer');
    expect(stdout).toContain('3. A short architecture review');
    expect(stdout).toContain('## Decisions');
  });
});
