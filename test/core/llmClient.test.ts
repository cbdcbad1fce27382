import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';
import { CouncilError } from '../../core/errors.js';
import { LlmClient } from '../../core/llm/llmClient.js';
import { startFakeOllama } from '../fakes/ollama/index.js';

type Fake = Awaited<ReturnType<typeof startFakeOllama>>;
let fake: Fake;

function client(env: Record<string, string> = {}) {
  return new LlmClient(loadConfig({ OLLAMA_BASE_URL: fake.url, OLLAMA_RETRIES: '2', ...env }));
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  fake.resetStats();
});

describe('LlmClient', () => {
  it('streams tokens and reports Ollama token counts and timings', async () => {
    const tokens: string[] = [];
    let done;
    for await (const chunk of client().streamChat({ lane: 't', messages: [{ role: 'user', content: 'hello there' }] })) {
      if ('token' in chunk) tokens.push(chunk.token);
      else done = chunk.done;
    }
    expect(tokens.length).toBeGreaterThan(1);
    expect(done).toMatchObject({ content: tokens.join(''), model: 'llama3.2', backend: fake.url });
    expect(done!.promptTokens).toBeGreaterThan(0);
    expect(done!.completionTokens).toBe(tokens.length);
    expect(done!.ttftMs).not.toBeNull();
  });

  it('names an unknown model and says how to pull it', async () => {
    const error = await client({ MODEL_NAME: 'nosuchmodel' }).chat({ lane: 't', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(CouncilError);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('ollama pull nosuchmodel');
  });

  it('fails fast with the URL when nothing listens there', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const llm = new LlmClient(loadConfig({ OLLAMA_BASE_URL: url }));
    const error = await llm.chat({ lane: 't', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    // Fast means on the refused connection, not at the generation budget (300 s), which would end as ollama_timeout.
    expect(error.code).toBe('ollama_unreachable');
    expect(error.message).toContain(url);
    expect(error.message).toContain('cannot reach Ollama');
  });

  it('names a connection Ollama accepted and then dropped before the first token as a drop, not as a wrong address', async () => {
    fake.failNext({ mode: 'reset', count: 10 });
    const error = await client({ OLLAMA_RETRIES: '1' }).chat({ lane: 't', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    fake.failNext({ count: 0 });
    expect(error.code).toBe('ollama_unreachable');
    expect(error.message).toContain('closed the connection before the first token');
    expect(error.message).not.toContain('ollama serve');
  });

  it('retries a failure that came before the first token', async () => {
    fake.failNext({ count: 1, status: 500, error: 'boom' });
    const result = await client().chat({ lane: 't', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.content.length).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.path === '/api/chat')).toHaveLength(2);
  });

  it('does not retry once tokens were streamed', async () => {
    fake.failNext({ mode: 'drop-after-tokens', tokens: 2 });
    const error = await client().chat({ lane: 't', messages: [{ role: 'user', content: 'a longer question for a longer answer' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(CouncilError);
    expect(fake.requests.filter((r) => r.path === '/api/chat')).toHaveLength(1);
  });

  it('cancels the call in flight when the signal aborts', async () => {
    fake.setLatency({ ttftMs: 0, tokenMs: 50 });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of client().streamChat({ lane: 't', signal: controller.signal, messages: [{ role: 'user', content: 'tell me a long story' }] })) {
        if ('token' in chunk) {
          seen.push(chunk.token);
          controller.abort();
        }
      }
    })().catch((e) => e);
    expect(error.code).toBe('cancelled');
    expect(seen).toHaveLength(1);
  });

  it('times out a call that never answers', async () => {
    fake.failNext({ mode: 'hang' });
    const error = await client({ OLLAMA_TIMEOUT_MS: '300', OLLAMA_RETRIES: '0' }).chat({ lane: 't', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(error.code).toBe('ollama_timeout');
    expect(error.message).toContain('OLLAMA_TIMEOUT_MS');
  });

  it('keeps no more calls in flight per backend than OLLAMA_NUM_PARALLEL', async () => {
    fake.setLatency({ ttftMs: 20, tokenMs: 5 });
    const llm = client({ OLLAMA_NUM_PARALLEL: '2' });
    await Promise.all(Array.from({ length: 6 }, (_, i) => llm.chat({ lane: `lane${i % 3}`, messages: [{ role: 'user', content: `question ${i}` }] })));
    expect(fake.maxConcurrent).toBe(2);
  });

  it('spreads calls over several backends', async () => {
    const second = await startFakeOllama();
    try {
      fake.setLatency({ ttftMs: 30, tokenMs: 5 });
      second.setLatency({ ttftMs: 30, tokenMs: 5 });
      second.resetStats();
      const llm = new LlmClient(loadConfig({ OLLAMA_BASE_URL: `${fake.url},${second.url}`, OLLAMA_NUM_PARALLEL: '1' }));
      await Promise.all(Array.from({ length: 4 }, (_, i) => llm.chat({ lane: `l${i}`, messages: [{ role: 'user', content: 'hi' }] })));
      expect(fake.requests.filter((r) => r.path === '/api/chat').length).toBe(2);
      expect(second.requests.filter((r) => r.path === '/api/chat').length).toBe(2);
    } finally {
      await second.stop();
    }
  });

  it('embeds text', async () => {
    const [a, b] = await client().embed(['postgres index tuning', 'tuning a postgres index']);
    expect(a!.length).toBeGreaterThan(10);
    expect(a!.length).toBe(b!.length);
  });

  it('names a stream cut halfway as what happened, not as an unreachable Ollama', async () => {
    fake.failNext({ mode: 'drop-after-tokens', tokens: 2 });
    const error = await client().chat({ lane: 't', messages: [{ role: 'user', content: 'a longer question for a longer answer' }] }).catch((e) => e);
    expect(error.code).toBe('ollama_error');
    expect(error.message).toContain('cut the reply off after 2 tokens');
    expect(error.message).not.toContain('ollama serve');
  });

  it('stops a call that stalls, frees its slot, says so, and reports the backend until a call finishes', async () => {
    const llm = client({ OLLAMA_STALL_MS: '300', OLLAMA_NUM_PARALLEL: '1', OLLAMA_RETRIES: '0' });
    fake.failNext({ mode: 'stall-after-tokens', tokens: 3 });
    const error = await llm.chat({ lane: 'a', messages: [{ role: 'user', content: 'a longer question for a longer answer' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(CouncilError);
    expect(error.code).toBe('ollama_stalled');
    expect(error.message).toContain('stopped sending after 3 tokens');
    expect(llm.backends[0]!.limiter.inFlight).toBe(0);
    expect((await llm.probe())[0]).toMatchObject({ ok: false, problem: expect.stringContaining('stopped sending') });
    expect((await llm.chat({ lane: 'b', messages: [{ role: 'user', content: 'hi' }] })).content.length).toBeGreaterThan(0);
    expect(fake.concurrent).toBe(0);
    expect(await llm.probe()).toEqual([{ backend: fake.url, ok: true }]);
  });

  it('does not count time spent queued against the generation budget (OLLAMA_TIMEOUT_MS)', async () => {
    fake.setResponder(() => 'one two three four five six seven eight');
    fake.setLatency({ ttftMs: 0, tokenMs: 50 });
    try {
      const budgetMs = 2000;
      const llm = client({ OLLAMA_TIMEOUT_MS: String(budgetMs), OLLAMA_NUM_PARALLEL: '1', OLLAMA_RETRIES: '0' });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => llm.chat({ lane: `q${i}`, messages: [{ role: 'user', content: `question ${i}` }] })));
      expect(results.every((r) => r.content.length > 0)).toBe(true);
      // One slot: the call that ran last queued behind all the others, longer than the whole budget, and still had its own.
      const durations = results.map((r) => r.durationMs);
      expect(durations.reduce((sum, d) => sum + d, 0) - Math.max(...durations)).toBeGreaterThan(budgetMs);
    } finally {
      fake.setResponder(null);
    }
  });

  it('shares a probe started within the age asked for (also one still out), and probes again after it', async () => {
    const llm = client();
    const tagsAsked = () => fake.requests.filter((r) => r.path === '/api/tags').length;
    const before = tagsAsked();
    const [first, second] = await Promise.all([llm.recentProbe(60_000), llm.recentProbe(60_000)]);
    expect(first).toEqual([{ backend: fake.url, ok: true }]);
    expect(second).toBe(first);
    expect(await llm.recentProbe(60_000)).toBe(first);
    expect(tagsAsked() - before).toBe(1);
    // Older than asked for: a new probe.
    await llm.recentProbe(-1);
    expect(tagsAsked() - before).toBe(2);
  });

  it('reports readiness per backend, naming a missing model', async () => {
    expect(await client().probe()).toEqual([{ backend: fake.url, ok: true }]);
    const [probe] = await client({ MODEL_NAME: 'mistral' }).probe();
    expect(probe!.ok).toBe(false);
    expect(probe!.problem).toContain('ollama pull mistral');
  });
});
