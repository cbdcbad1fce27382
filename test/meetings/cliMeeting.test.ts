import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCaller } from '../../core/memory/scope.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { runCliForTest } from '../support/runCliForTest.js';
import { choicesOf, emptyMinutes, isMinutes, isPick } from './support/meetingHarness.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let dataDir: string;
let env: Record<string, string>;
const me = cliCaller().ownerId;

beforeAll(async () => {
  fake = await startFakeOllama();
  dataDir = mkdtempSync(join(tmpdir(), 'council-cli-meeting-'));
  env = { OLLAMA_BASE_URL: fake.url, DATA_DIR: dataDir, OLLAMA_RETRIES: '0' };
  fake.setResponder((req) => {
    if (isMinutes(req)) return emptyMinutes({ action_items: [{ owner: me, task: 'Send the rollout email', source_turns: [1] }] });
    if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' });
    return 'A point.';
  });
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
