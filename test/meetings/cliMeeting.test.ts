import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCaller } from '../../core/memory/scope.js';
import { packageRoot } from '../../core/paths.js';
import { startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { baseEnv, builtCli } from '../support/builtEntry.js';
import { spawnTracked } from '../support/children.js';
import { runCliForTest } from '../support/runCliForTest.js';
import { choicesOf, emptyMinutes, isMinutes, isPick, waitFor } from './support/meetingHarness.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let dataDir: string;
let env: Record<string, string>;
const me = cliCaller().ownerId;
const responder = (req: FakeChatRequest) => {
  if (isMinutes(req)) return emptyMinutes({ action_items: [{ owner: me, task: 'Send the rollout email', source_turns: [1] }] });
  if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' });
  return 'A point.';
};

beforeAll(async () => {
  fake = await startFakeOllama();
  dataDir = mkdtempSync(join(tmpdir(), 'council-cli-meeting-'));
  env = { OLLAMA_BASE_URL: fake.url, DATA_DIR: dataDir, OLLAMA_RETRIES: '0' };
  fake.setResponder(responder);
});
afterAll(async () => {
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (title: string, extra: string[] = []) => ['meeting', 'start', 'code_review', '--title', title, '--topic', 'The diff', '--participants', 'backend_developer,qa_engineer', ...extra];

describe('council meeting with a person at the terminal', () => {
  it('says piped lines in the meeting as the terminal user, who can own an action item', async () => {
    const { code, stdout } = await runCliForTest([...start('Rollout #1'), '--json'], env, { input: 'Priya, is the migration reversible?\n' });
    expect(code).toBe(0);
    const view = JSON.parse(stdout);
    const human = view.turns.find((t: { kind: string }) => t.kind === 'human');
    expect(human).toMatchObject({ agent: null, speakerId: me, content: 'Priya, is the migration reversible?' });
    // Priya (backend_developer) was named, so she speaks right after the person.
    expect(view.turns.find((t: { seq: number; kind: string }) => t.seq > human.seq && t.kind !== 'human').agent).toBe('backend_developer');

    const listed = await runCliForTest(['actions', 'list', '--mine', '--json'], env);
    const items = JSON.parse(listed.stdout);
    expect(items).toEqual([expect.objectContaining({ owner: me, ownerKind: 'human', task: 'Send the rollout email', status: 'open', sourceTurns: [1] })]);

    const next = await runCliForTest([...start('Rollout #2'), '--no-input', '--json'], env, { input: 'ignored line\n' });
    const second = JSON.parse(next.stdout);
    expect(second.turns.some((t: { kind: string }) => t.kind === 'human')).toBe(false);
    const firstPrompt = (fake.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as { messages: Array<{ content: string }>; format?: unknown }).filter((b) => !b.format).at(-second.turns.length)!).messages.map((m) => m.content).join('\n');
    expect(firstPrompt).toContain('Send the rollout email');

    const done = await runCliForTest(['actions', 'done', items[0].id.slice(0, 8)], env);
    expect(done).toMatchObject({ code: 0 });
    expect(done.stdout).toContain('done: Send the rollout email');
    expect(JSON.parse((await runCliForTest(['actions', 'list', '--json'], env)).stdout).filter((i: { owner: string }) => i.owner === me)).toEqual([]);
    const again = await runCliForTest(['actions', 'done', items[0].id], env);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('after kill -9 of `meeting start` on the embedded database, resume runs the meeting to its end in the terminal', { timeout: 240_000 }, async () => {
    // Its own folder: the killed process leaves its lock and its 30 s lease behind.
    const own = mkdtempSync(join(tmpdir(), 'council-cli-killed-'));
    const ownEnv = { ...env, DATA_DIR: own };
    const speak = (req: FakeChatRequest) => (isMinutes(req) ? emptyMinutes() : isPick(req) ? JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' }) : 'A point worth making slowly. '.repeat(8));
    fake.setResponder(speak);
    fake.setLatency({ ttftMs: 0, tokenMs: 15 });
    const before = fake.requests.length;
    const turnsStarted = () => fake.requests.slice(before).filter((r) => r.path === '/api/chat' && !(r.body as FakeChatRequest).format).length;
    const child = spawnTracked(process.execPath, [builtCli, ...start('Killed', ['--no-input'])], { cwd: packageRoot, env: baseEnv({ ...ownEnv, LOG_LEVEL: 'error' }) });
    try {
      // The second turn's request means the first turn is stored.
      await waitFor(() => `a turn stored by meeting start: ${child.output().stderr}`, () => turnsStarted() >= 2, 60_000);
      child.child.kill('SIGKILL');
      await child.exited;
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
      const [killed] = JSON.parse((await runCliForTest(['meeting', 'list', '--json'], ownEnv)).stdout) as Array<{ id: string; status: string }>;
      expect(killed).toMatchObject({ status: 'running' });
      const resumed = await runCliForTest(['meeting', 'resume', killed!.id, '--no-input', '--json'], ownEnv);
      expect(resumed.code, resumed.stderr).toBe(0);
      const view = JSON.parse(resumed.stdout) as { status: string; turns: Array<{ seq: number }> };
      expect(view.status).toBe('completed');
      expect(view.turns.length).toBeGreaterThan(1);
      expect(view.turns.map((t) => t.seq)).toEqual(view.turns.map((_, i) => i + 1));
    } finally {
      await child.stop();
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
      fake.setResponder(responder);
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('takes --independent and --model agent=model, and refuses bad ones in one line', async () => {
    fake.addModel('qwen2.5');
    const { code, stdout, stderr } = await runCliForTest([...start('Own views', ['--independent', '--model', 'backend_developer=qwen2.5', '--model', 'Sofia Rossi=llama3.2', '--no-input', '--json'])], env);
    expect(code, stderr).toBe(0);
    const view = JSON.parse(stdout);
    expect(view).toMatchObject({ independent: true, models: { backend_developer: 'qwen2.5', qa_engineer: 'llama3.2' } });
    expect(view.turns.filter((t: { kind: string }) => t.kind === 'position').map((t: { agent: string; model: string }) => [t.agent, t.model])).toEqual([['backend_developer', 'qwen2.5'], ['qa_engineer', 'llama3.2']]);
    expect(view.minutes.models).toMatchObject({ backend_developer: ['qwen2.5'] });

    const off = JSON.parse((await runCliForTest(['meeting', 'start', 'architecture_review', '--title', 'Open', '--topic', 'x', '--participants', 'backend_developer,qa_engineer', '--no-independent', '--no-input', '--json'], env)).stdout);
    expect(off.independent).toBe(false);
    expect(off.turns.some((t: { kind: string }) => t.kind === 'position')).toBe(false);

    for (const [extra, says] of [
      [['--model', 'backend_developer'], 'models: "backend_developer" is not agent=model'],
      [['--independent', '--no-independent'], 'give --independent or --no-independent, not both'],
      [['--model', 'backend_developer=phi4'], 'run: ollama pull phi4'],
    ] as const) {
      const refused = await runCliForTest([...start('Refused', [...extra, '--no-input'])], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain(says);
    }
  });

  it('cancels an interrupted meeting and refuses to pause it', async () => {
    fake.failNext({ count: 50, status: 500, error: 'down' });
    const broken = await runCliForTest([...start('Broken'), '--no-input', '--json'], env);
    fake.failNext({ count: 0 });
    expect(broken.code).toBe(1);
    const id = JSON.parse(broken.stdout).id;
    const cancelled = await runCliForTest(['meeting', 'cancel', id, '--json'], env);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id, status: 'cancelled' });
    const pause = await runCliForTest(['meeting', 'pause', id], env);
    expect(pause.code).toBe(2);
    expect(pause.stderr).toMatch(/cancelled; only a running meeting can be paused/);
  });
});
