import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultResponder, isExtractionRequest, startFakeOllama, type FakeChatRequest, type FakeOllama, type FakeReply } from '../fakes/ollama/index.js';
import { runCliForTest } from '../support/runCliForTest.js';

let fake: FakeOllama;
let dataDir: string;
let env: Record<string, string>;

/** The speaking turns' requests: the facilitator's and the minutes' ask for JSON (`format`), extraction is left out. */
const spoken = () =>
  fake.requests
    .filter((r) => r.path === '/api/chat')
    .map((r) => r.body as FakeChatRequest)
    .filter((request) => !isExtractionRequest(request) && !request.format);

beforeAll(async () => {
  fake = await startFakeOllama();
  fake.setLatency({ ttftMs: 0, tokenMs: 0, jitterMs: 0, promptTokenMs: 0 });
  dataDir = mkdtempSync(join(tmpdir(), 'council-cli-meeting-tools-'));
  env = { OLLAMA_BASE_URL: fake.url, DATA_DIR: dataDir };
});
afterAll(async () => {
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.resetStats();
  // A colleague offered tools searches the decisions once per turn, then answers from what it found.
  fake.setResponder((request): string | FakeReply => {
    if (isExtractionRequest(request) || request.format) return defaultResponder(request);
    if (request.messages.some((m) => m.role === 'tool')) return 'From the record: nothing decided on retries yet.';
    if ((request.tools ?? []).length > 0) return { tool_calls: [{ function: { name: 'council.search_decisions', arguments: { query: 'retries' } } }] };
    return defaultResponder(request);
  });
});

const start = (...extra: string[]) => runCliForTest(['meeting', 'start', 'daily_standup', '--title', 'Retries', '--topic', 'Retry policy', '--participants', 'backend_developer', ...extra], env);
const storedCalls = async (id: string) => {
  const shown = JSON.parse((await runCliForTest(['meeting', 'show', id, '--json'], env)).stdout) as { tools: string[]; turns: Array<{ content: string; toolCalls?: Array<Record<string, unknown>> }> };
  return { tools: shown.tools, turns: shown.turns, calls: shown.turns.flatMap((turn) => turn.toolCalls ?? []) };
};

describe('council meeting start --tools', () => {
  it('the terminal user allows a built-in tool for the meeting: its turns call it, each call is a line on stderr and is stored on the turn', async () => {
    const started = await start('--tools', 'council.search_decisions');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('## Summary');
    expect(spoken().some((request) => (request.tools ?? []).map((tool) => tool.function.name).join() === 'council.search_decisions')).toBe(true);
    expect(started.stderr).toMatch(/^\[tool council\.search_decisions: ok, \d+ ms, \d+ characters\]$/m);
    // Read back from the database by another run: the calls are stored on the turns that made them.
    const { tools, turns, calls } = await storedCalls(/^meeting (\S+)$/m.exec(started.stdout)![1]!);
    // The meeting says what it was allowed, by name (the pin stays in the record).
    expect(tools).toEqual(['council.search_decisions']);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0]).toMatchObject({ tool: 'council.search_decisions', outcome: 'ok', approval: 'granted', arguments: { query: 'retries' }, outputSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(turns.find((turn) => turn.toolCalls)?.content).toContain('From the record');
  }, 120_000);

  it('without --tools the same meeting offers the model no tools: the requests carry no tools field', async () => {
    const started = await start('--json');
    expect(started.code).toBe(0);
    expect(spoken().length).toBeGreaterThan(0);
    expect(spoken().filter((request) => 'tools' in request)).toEqual([]);
    expect(await storedCalls(JSON.parse(started.stdout).id)).toMatchObject({ tools: [], calls: [] });
    expect(started.stderr).toBe('');
  }, 120_000);

  it('a resume in another run calls the tools pinned when the meeting started', async () => {
    fake.failNext({ mode: 'drop-after-tokens', tokens: 1, count: 1 });
    fake.failNext({ count: 5, status: 500, error: 'gone' });
    const failed = await start('--tools', 'council.search_decisions', '--json');
    expect(failed.code).toBe(1);
    const id = JSON.parse(failed.stdout).id;
    fake.failNext({ count: 0 });
    fake.resetStats();
    const resumed = await runCliForTest(['meeting', 'resume', id, '--json'], env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).status).toBe('completed');
    expect(spoken().some((request) => (request.tools ?? []).some((tool) => tool.function.name === 'council.search_decisions'))).toBe(true);
    expect((await storedCalls(id)).calls).toContainEqual(expect.objectContaining({ tool: 'council.search_decisions', outcome: 'ok', approval: 'granted' }));
  }, 120_000);

  it('an unknown tool is refused in one line naming it, and no meeting is stored', async () => {
    const before = JSON.parse((await runCliForTest(['meeting', 'list', '--json'], env)).stdout).length;
    const refused = await start('--tools', 'council.search_decisions,fs.delete', '--json');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('no tool "fs.delete" is offered now');
    expect(JSON.parse((await runCliForTest(['meeting', 'list', '--json'], env)).stdout)).toHaveLength(before);
    expect(spoken()).toEqual([]);
  }, 60_000);
});
