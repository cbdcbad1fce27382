import { cliCaller } from '../../core/memory/scope.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CouncilError } from '../../core/errors.js';
import { isExtractionRequest, startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { waitFor } from '../support/waitFor.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';

type Fake = Awaited<ReturnType<typeof startFakeOllama>>;
let fake: Fake;

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  fake.resetStats();
  fake.setResponder(null);
});

/** Resolves every `arrive()` once `count` callers have arrived; past `safetyNetMs` it lets them through anyway, so a test that never gets there fails on its assertions. */
function barrier(count: number, safetyNetMs = 30_000) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const timer = setTimeout(open, safetyNetMs);
  return {
    async arrive() {
      if (++arrived === count) {
        clearTimeout(timer);
        open();
      }
      await opened;
    },
  };
}

function chatPrompts() {
  return fake.requests.filter((r) => r.path === '/api/chat' && !isExtractionRequest(r.body as FakeChatRequest)).map((r) => (r.body as { messages: Array<{ role: string; content: string }> }).messages);
}

/** Room for three model calls at once, so a consult of three can be seen running them side by side. */
const parallelCalls = { OLLAMA_NUM_PARALLEL: '3' };

const backends: Array<{ name: string; enabled: boolean; open: () => Promise<{ tc: TestCouncil; drop: () => Promise<void> }> }> = [
  {
    name: 'PGlite',
    enabled: true,
    open: async () => ({ tc: await openTestCouncil({ ollamaUrl: fake.url, env: parallelCalls }), drop: async () => {} }),
  },
  {
    name: 'Postgres',
    enabled: hasPostgres,
    open: async () => {
      const database = await createTestDatabase();
      return { tc: await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url, env: parallelCalls }), drop: database.drop };
    },
  },
];

describe.each(backends)('chat on $name', ({ enabled, open }) => {
  let tc: TestCouncil;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    if (!enabled) return;
    ({ tc, drop } = await open());
  });
  afterAll(async () => {
    if (!enabled) return;
    await tc.dispose();
    await drop();
  });

  it.runIf(enabled)('answers in persona and stores both sides with the call stats', async () => {
    const reply = await tc.council.chatWithAgent('backend_developer', 'What are REST API best practices?', { scope: 'cli:t1' });
    expect(reply.reply.length).toBeGreaterThan(0);
    expect(reply.stats?.promptTokens).toBeGreaterThan(0);
    const [system] = chatPrompts().at(-1)!;
    const role = tc.council.agents.get('backend_developer');
    expect(system!.content).toContain(role.prompt.slice(0, 60));
    const exported = [];
    for await (const record of tc.council.exportData()) exported.push(record);
    const messages = exported.filter((r) => r.type === 'message');
    expect(messages.map((m) => m.type === 'message' && m.role)).toEqual(['user', 'assistant']);
    const assistant = messages[1]!;
    expect(assistant.type === 'message' && assistant.completionTokens).toBeGreaterThan(0);
    expect(assistant.type === 'message' && assistant.ttftMs).not.toBeNull();
  });

  it.runIf(enabled)('sends the conversation so far with the next message', async () => {
    await tc.council.chatWithAgent('qa_engineer', 'Our flaky test is checkout_spec', { scope: 'cli:t2' });
    await tc.council.chatWithAgent('qa_engineer', 'Which test did I mention?', { scope: 'cli:t2' });
    const prompt = chatPrompts().at(-1)!;
    expect(prompt.some((m) => m.role === 'user' && m.content.includes('checkout_spec'))).toBe(true);
    expect(prompt.some((m) => m.role === 'assistant')).toBe(true);
  });

  it.runIf(enabled)('keeps scopes apart', async () => {
    await tc.council.chatWithAgent('cto', 'The secret codename is bluebird', { scope: 'cli:a' });
    await tc.council.chatWithAgent('cto', 'hello', { scope: 'cli:b' });
    const prompt = chatPrompts().at(-1)!;
    expect(prompt.filter((m) => m.role !== 'system').some((m) => m.content.includes('bluebird'))).toBe(false);
  });

  it.runIf(enabled)('recalls a long-term memory from another conversation', async () => {
    await tc.council.chatWithAgent('database_administrator', 'Remember that we run Postgres 16 with pgbouncer in transaction mode', { scope: 'cli:m1' });
    await waitFor('the memory extracted after the answer', async () => (await tc.council.memory.list({ agentId: 'database_administrator' })).length > 0);
    await tc.council.chatWithAgent('database_administrator', 'How should we configure pgbouncer pooling for Postgres?', { scope: 'cli:m2' });
    const [system] = chatPrompts().at(-1)!;
    expect(system!.content).toContain('pgbouncer in transaction mode');
    const memories = await tc.council.memory.list({ agentId: 'database_administrator' });
    expect(memories).toHaveLength(1);
  });

  it.runIf(enabled)('stores nothing when the model call fails', async () => {
    const before = await tc.council.memory.list({ limit: 1000 });
    fake.failNext({ count: 5, status: 500, error: 'boom' });
    await expect(tc.council.chatWithAgent('ux_designer', 'Remember that our users are nurses', { scope: 'cli:f' })).rejects.toBeInstanceOf(CouncilError);
    fake.failNext({ count: 0 });
    const records = [];
    for await (const record of tc.council.exportData()) records.push(record);
    expect(records.some((r) => r.type === 'message' && r.content.includes('nurses'))).toBe(false);
    expect(await tc.council.memory.list({ limit: 1000 })).toHaveLength(before.length);
  });

  it.runIf(enabled)('rejects unknown agents with close matches and oversized messages', async () => {
    const unknown = await tc.council.chatWithAgent('backend_dev', 'hi').catch((e) => e);
    expect(unknown.code).toBe('unknown_agent');
    expect(unknown.message).toContain('backend_developer');
    const long = await tc.council.chatWithAgent('cto', 'x'.repeat(20_000)).catch((e) => e);
    expect(long.code).toBe('message_too_long');
    expect(long.message).toContain('MAX_MESSAGE_CHARS');
  });

  it.runIf(enabled)('consults several agents in parallel, each reply stored', async () => {
    // Each answer is held until all three calls are open at the model: a consult that asked one colleague after another never gets there.
    const allOpen = barrier(3);
    fake.setResponder(async () => {
      await allOpen.arrive();
      return 'A considered answer.';
    });
    const replies = await tc.council.consult('How to build scalable microservices?', ['solutions_architect', 'backend_developer', 'devops_engineer'], { scope: 'cli:c' });
    expect(replies.map((r) => r.agent)).toEqual(['solutions_architect', 'backend_developer', 'devops_engineer']);
    expect(replies.every((r) => r.reply === 'A considered answer.' && r.error === null)).toBe(true);
    expect(fake.maxConcurrent).toBe(3);
  });

  it.runIf(enabled)('reports one failing agent in a consult without losing the others', async () => {
    fake.setResponder((req) => {
      if (String(req.messages[0]?.content).includes(tc.council.agents.get('cto').prompt.slice(0, 40))) throw Object.assign(new Error('model crashed'), { status: 500 });
      return 'A fine answer.';
    });
    const replies = await tc.council.consult('Should we rewrite it in Rust?', ['cto', 'software_architect'], { scope: 'cli:c2' });
    expect(replies[0]!.error?.code).toBeDefined();
    expect(replies[1]!.reply).toBe('A fine answer.');
  });

  it.runIf(enabled)('clears one agent, then everyone', async () => {
    await tc.council.chatWithAgent('scrum_master', 'Remember that our sprint is two weeks', { scope: 'cli:x' });
    await waitFor('the memory extracted after the answer', async () => (await tc.council.memory.list({ agentId: 'scrum_master' })).length > 0);
    const one = await tc.council.memory.clear({ agent: 'scrum_master' }, cliCaller());
    expect(one.conversations).toBeGreaterThan(0);
    expect(await tc.council.memory.list({ agentId: 'scrum_master' })).toHaveLength(0);
    await tc.council.clearAllMemories();
    expect(await tc.council.memory.list()).toHaveLength(0);
  });
});

describe('persistence', () => {
  it('keeps history across a restart on the same data folder', async () => {
    const first = await openTestCouncil({ ollamaUrl: fake.url });
    await first.council.chatWithAgent('product_manager', 'Our north star metric is weekly active teams', { scope: 'cli:p' });
    await first.close();
    const second = await openTestCouncil({ ollamaUrl: fake.url, dataDir: first.dataDir });
    try {
      await second.council.chatWithAgent('product_manager', 'What is our north star?', { scope: 'cli:p' });
      const prompt = chatPrompts().at(-1)!;
      expect(prompt.some((m) => m.content.includes('weekly active teams'))).toBe(true);
    } finally {
      await second.dispose();
    }
  });

  it('refuses a second process on the same embedded database', async () => {
    const first = await openTestCouncil({ ollamaUrl: fake.url });
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${first.dataDir}/council.lock`, String(process.ppid));
      const error = await openTestCouncil({ ollamaUrl: fake.url, dataDir: first.dataDir }).catch((e) => e);
      expect(error.message).toContain('in use by process');
    } finally {
      await first.dispose();
    }
  });
});
