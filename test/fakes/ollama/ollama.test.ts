import { Ollama, type ChatResponse } from 'ollama';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchemaInstance, startFakeOllama, type FakeOllama } from './index.js';

let fake: FakeOllama;
let client: Ollama;

beforeAll(async () => {
  fake = await startFakeOllama({ models: ['llama3.2', { name: 'nomic-embed-text', kind: 'embedding' }, { name: 'mxbai-embed-large', kind: 'embedding', dims: 1024 }] });
  client = new Ollama({ host: fake.url });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.setLatency({ ttftMs: 0, tokenMs: 0, jitterMs: 0, embedMs: 0, promptTokenMs: 0 });
  fake.setResponder(null);
  fake.resetStats();
});

const persona = 'You are Priya Raman, a senior backend developer.\nYou are calm and precise.';
const ask = (content: string) => [
  { role: 'system', content: persona },
  { role: 'user', content },
];
const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

async function collect(stream: AsyncIterable<ChatResponse>): Promise<ChatResponse[]> {
  const chunks: ChatResponse[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('chat and generate', () => {
  it('streams NDJSON chunks and ends with Ollama counts and durations', async () => {
    const chunks = await collect(await client.chat({ model: 'llama3.2', messages: ask('How should we version the public REST API?'), stream: true }));
    const tokens = chunks.filter((c) => !c.done);
    const final = chunks.at(-1)!;
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.every((c) => c.message.role === 'assistant' && c.model === 'llama3.2' && typeof c.created_at === 'string')).toBe(true);
    const text = tokens.map((c) => c.message.content).join('');
    expect(text).toContain('Priya Raman');
    expect(text).toContain('version the public REST API');
    expect(final).toMatchObject({ done: true, done_reason: 'stop', message: { role: 'assistant', content: '' }, eval_count: tokens.length });
    const promptChars = persona.length + 'How should we version the public REST API?'.length;
    expect(final.prompt_eval_count).toBe(Math.ceil(promptChars / 4));
    for (const field of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'] as const) expect(Number.isInteger(final[field])).toBe(true);
  });

  it('answers once when stream is false, deterministically, with a prompt count that grows with the prompt', async () => {
    const first = await client.chat({ model: 'llama3.2', messages: ask('hello') });
    const again = await client.chat({ model: 'llama3.2:latest', messages: ask('hello') });
    const longer = await client.chat({ model: 'llama3.2', messages: [...ask('hello'), { role: 'assistant', content: first.message.content }, { role: 'user', content: 'and then?' }] });
    expect(first.done).toBe(true);
    expect(first.message.content).toBe(again.message.content);
    expect(first.message.content.split(/[.!?]\s/).length).toBeGreaterThanOrEqual(3);
    expect(first.eval_count).toBeGreaterThan(5);
    expect(longer.prompt_eval_count).toBeGreaterThan(first.prompt_eval_count + first.message.content.length / 4 - 1);
  });

  it('stops at options.num_predict with done_reason "length"', async () => {
    const reply = await client.chat({ model: 'llama3.2', messages: ask('hello'), options: { num_predict: 3 } });
    expect(reply).toMatchObject({ done_reason: 'length', eval_count: 3 });
  });

  it('serves /api/generate with `response` chunks and a context', async () => {
    const chunks = [];
    for await (const chunk of await client.generate({ model: 'llama3.2', system: persona, prompt: 'Explain idempotency keys', stream: true })) chunks.push(chunk);
    expect(chunks.filter((c) => !c.done).map((c) => c.response).join('')).toContain('Explain idempotency keys');
    expect(chunks.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
    expect(chunks.at(-1)!.context.length).toBe(chunks.length - 1);
    const once = await client.generate({ model: 'llama3.2', prompt: 'hi' });
    expect(once.response).toContain('hi');
  });

  it('uses the responder it is given, and answers its thrown status as an HTTP error', async () => {
    fake.setResponder(async (req) => `${req.model} got ${req.messages.length} messages, format ${JSON.stringify(req.format)}, temperature ${req.options?.temperature}`);
    const reply = await client.chat({ model: 'llama3.2', messages: ask('x'), format: 'json', options: { temperature: 0.2 } });
    expect(reply.message.content).toBe('llama3.2 got 2 messages, format "json", temperature 0.2');
    fake.setResponder(() => {
      throw Object.assign(new Error('runner crashed'), { status: 503 });
    });
    await expect(client.chat({ model: 'llama3.2', messages: ask('x') })).rejects.toMatchObject({ status_code: 503, message: 'runner crashed' });
  });

  it('records every request with its path and body', async () => {
    await client.chat({ model: 'llama3.2', messages: ask('record me') });
    await client.list();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/chat', 'GET /api/tags']);
    expect(fake.requests[0]!.body).toMatchObject({ model: 'llama3.2', stream: false, messages: [{ role: 'system' }, { role: 'user', content: 'record me' }] });
    expect(fake.requests[0]!.at).toBeLessThanOrEqual(Date.now());
  });
});

describe('errors worded as Ollama words them', () => {
  it('404s an unknown model and 400s a chat with an embedding model', async () => {
    const error = await client.chat({ model: 'mistral', messages: ask('x') }).catch((e) => e);
    expect(error).toMatchObject({ status_code: 404, message: 'model "mistral" not found, try pulling it first' });
    await expect(client.embed({ model: 'bge-m3', input: 'x' })).rejects.toThrow('not found');
    await expect(client.show({ model: 'mistral' })).rejects.toThrow('not found');
    await expect(client.chat({ model: 'nomic-embed-text', messages: ask('x') })).rejects.toMatchObject({ status_code: 400, message: '"nomic-embed-text" does not support chat' });
  });

  it('400s bad JSON, a missing model and an unknown format', async () => {
    const post = (body: string) => fetch(`${fake.url}/api/chat`, { method: 'POST', body });
    const bad = await post('{"model": "llama3.2",');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('invalid JSON');
    expect(await (await post('{"messages": []}')).json()).toEqual({ error: 'model is required' });
    expect((await post('{"model": "llama3.2", "format": "xml", "messages": []}')).status).toBe(400);
    expect((await fetch(`${fake.url}/api/nope`)).status).toBe(404);
  });
});

describe('models', () => {
  it('lists, shows, reports the version and what ran lately; models can come and go', async () => {
    expect((await client.list()).models.map((m) => m.name)).toEqual(['llama3.2:latest', 'nomic-embed-text:latest', 'mxbai-embed-large:latest']);
    expect((await client.show({ model: 'nomic-embed-text' })).capabilities).toEqual(['embedding']);
    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
    await client.chat({ model: 'llama3.2', messages: ask('warm up') });
    expect((await client.ps()).models.map((m) => m.name)).toContain('llama3.2:latest');
    fake.addModel('qwen2.5:7b');
    expect((await client.chat({ model: 'qwen2.5:7b', messages: ask('hi') })).model).toBe('qwen2.5:7b');
    fake.removeModel('qwen2.5:7b');
    await expect(client.chat({ model: 'qwen2.5:7b', messages: ask('hi') })).rejects.toThrow('not found');
  });
});

describe('embeddings', () => {
  it('puts related texts closer than unrelated ones, L2-normalised, deterministic', async () => {
    const { embeddings, model } = await client.embed({ model: 'nomic-embed-text', input: ['postgres index tuning for slow queries', 'tuning the postgres indexes', 'a birthday cake recipe with lemon'] });
    const [a, b, c] = embeddings as [number[], number[], number[]];
    expect(model).toBe('nomic-embed-text');
    expect(a).toHaveLength(384);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect(cosine(a, b)).toBeGreaterThan(0.4);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.3);
    const single = await client.embed({ model: 'nomic-embed-text', input: 'postgres index tuning for slow queries' });
    expect(single.embeddings).toEqual([a]);
  });

  it('gives each model its own size and honours `dimensions`', async () => {
    expect((await client.embed({ model: 'mxbai-embed-large', input: 'x' })).embeddings[0]).toHaveLength(1024);
    expect((await client.embed({ model: 'nomic-embed-text', input: 'x', dimensions: 64 })).embeddings[0]).toHaveLength(64);
  });
});

const Owner = z.enum(['backend_developer', 'product_manager', 'qa_engineer']);
const minutes = z.object({
  summary: z.string().min(1),
  decisions: z.array(z.object({ decision: z.string().min(1), rationale: z.string(), votes: z.number().int().min(3).max(9) })),
  action_items: z.array(z.object({ owner: Owner, task: z.string().min(5), due: z.iso.date().nullable(), subtasks: z.array(z.object({ title: z.string(), done: z.boolean() })).min(1) })).min(3),
  risk: z.union([z.object({ level: z.literal('high'), mitigation: z.string() }), z.null()]),
  confidence: z.number().gt(0).lt(1),
});

describe('structured output', () => {
  it('answers a zod 4 JSON schema with an instance that validates, owners varying', async () => {
    const reply = await client.chat({ model: 'llama3.2', messages: ask('Write the minutes of the sprint planning'), format: z.toJSONSchema(minutes) });
    const parsed = minutes.parse(JSON.parse(reply.message.content));
    expect(new Set(parsed.action_items.map((item) => item.owner)).size).toBeGreaterThan(1);
    expect(parsed.summary).toContain('sprint planning');
  });

  it('covers $ref recursion, tuples, formats, bounds, records and discriminated unions', () => {
    type Tree = { name: string; children: Tree[] };
    const tree: z.ZodType<Tree> = z.object({ name: z.string(), get children() {
      return z.array(tree).max(2);
    } });
    const schema = z.object({
      tree,
      pair: z.tuple([z.string(), z.number()]),
      email: z.email(),
      id: z.uuid(),
      at: z.iso.datetime(),
      link: z.url(),
      code: z.string().min(2).max(4),
      step: z.number().multipleOf(5).min(7),
      tags: z.array(z.string()).min(2).max(3),
      counts: z.record(z.string(), z.number()),
      kind: z.discriminatedUnion('k', [z.object({ k: z.literal('a'), a: z.string() }), z.object({ k: z.literal('b'), b: z.number() })]),
      either: z.union([z.string(), z.number()]),
      optional: z.string().optional(),
      flag: z.boolean().default(false),
      action_items: minutes.shape.action_items,
    });
    const jsonSchema = z.toJSONSchema(schema);
    for (let variant = 0; variant < 6; variant++) expect(() => schema.parse(jsonSchemaInstance(jsonSchema, { variant, topic: 'the roadmap' }))).not.toThrow();
  });

  it('answers format "json" with a JSON object', async () => {
    const reply = await client.chat({ model: 'llama3.2', messages: ask('status?'), format: 'json' });
    expect(JSON.parse(reply.message.content)).toMatchObject({ persona: 'Priya Raman' });
  });
});

describe('latency and queueing', () => {
  it('waits ttft before the first token and tokenMs between tokens', async () => {
    fake.setLatency({ ttftMs: 150, tokenMs: 10 });
    const started = performance.now();
    let firstAt = 0;
    let count = 0;
    for await (const chunk of await client.chat({ model: 'llama3.2', messages: ask('hi'), stream: true })) {
      if (count++ === 0) firstAt = performance.now() - started;
      if (chunk.done) expect(chunk.prompt_eval_duration / 1e6).toBeGreaterThanOrEqual(140);
    }
    const total = performance.now() - started;
    expect(firstAt).toBeGreaterThanOrEqual(140);
    expect(total - firstAt).toBeGreaterThanOrEqual((count - 3) * 10);
  });

  it('queues generations beyond `parallel`, first come first served', async () => {
    const small = await startFakeOllama({ parallel: 2, latency: { ttftMs: 60, tokenMs: 2 } });
    try {
      const answered: string[] = [];
      small.setResponder((req) => {
        answered.push(req.messages.at(-1)!.content);
        return 'ok then';
      });
      const queuedClient = new Ollama({ host: small.url });
      let peakQueued = 0;
      const watch = setInterval(() => (peakQueued = Math.max(peakQueued, small.queued)), 5);
      await Promise.all(Array.from({ length: 5 }, (_, i) => queuedClient.chat({ model: 'llama3.2', messages: [{ role: 'user', content: `q${i}` }] })));
      clearInterval(watch);
      expect(small.maxConcurrent).toBe(2);
      expect(small.maxInFlight).toBe(5);
      expect(peakQueued).toBeGreaterThan(0);
      expect(answered).toEqual(small.requests.map((r) => (r.body as { messages: Array<{ content: string }> }).messages[0]!.content));
      expect(small.concurrent).toBe(0);
    } finally {
      await small.stop();
    }
  });

  it('waits embedMs before answering an embedding', async () => {
    fake.setLatency({ embedMs: 80 });
    const started = performance.now();
    await client.embed({ model: 'nomic-embed-text', input: 'x' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });
});

describe('faults', () => {
  it('answers the next `count` requests with an HTTP error, only on its path; count 0 disarms', async () => {
    fake.failNext({ count: 2, status: 500, error: 'boom', path: 'chat' });
    await expect(client.embed({ model: 'nomic-embed-text', input: 'x' })).resolves.toBeDefined();
    for (let i = 0; i < 2; i++) await expect(client.chat({ model: 'llama3.2', messages: ask('x') })).rejects.toMatchObject({ status_code: 500, message: 'boom' });
    await expect(client.chat({ model: 'llama3.2', messages: ask('x') })).resolves.toBeDefined();
    fake.failNext({ count: 5, status: 502, error: 'gone', path: 'embed' });
    await expect(client.embed({ model: 'nomic-embed-text', input: 'x' })).rejects.toMatchObject({ status_code: 502 });
    fake.failNext({ count: 0 });
    await expect(client.embed({ model: 'nomic-embed-text', input: 'x' })).resolves.toBeDefined();
  });

  it('resets the connection before answering', async () => {
    fake.failNext({ mode: 'reset' });
    await expect(client.chat({ model: 'llama3.2', messages: ask('x') })).rejects.toThrow();
    await expect(client.chat({ model: 'llama3.2', messages: ask('x') })).resolves.toBeDefined();
  });

  it('drops the connection after n streamed tokens, before the done chunk even when the answer is shorter', async () => {
    const streamUntilDropped = async () => {
      const seen: ChatResponse[] = [];
      const error = await (async () => {
        for await (const chunk of await client.chat({ model: 'llama3.2', messages: ask('tell me more'), stream: true })) seen.push(chunk);
      })().catch((e) => e);
      return { seen, error };
    };
    fake.failNext({ mode: 'drop-after-tokens', tokens: 3 });
    const short = await streamUntilDropped();
    expect(short.error).toBeInstanceOf(Error);
    expect(short.seen).toHaveLength(3);
    fake.failNext({ mode: 'drop-after-tokens', tokens: 10_000 });
    const whole = await streamUntilDropped();
    expect(whole.error).toBeInstanceOf(Error);
    expect(whole.seen.length).toBeGreaterThan(3);
    expect(whole.seen.some((chunk) => chunk.done)).toBe(false);
  });

  it('streams invalid JSON only to a structured-output request', async () => {
    fake.failNext({ mode: 'invalid-json' });
    const plain = await client.chat({ model: 'llama3.2', messages: ask('x') });
    expect(plain.message.content).toContain('Priya Raman');
    const broken = await client.chat({ model: 'llama3.2', messages: ask('minutes'), format: z.toJSONSchema(minutes) });
    expect(() => JSON.parse(broken.message.content)).toThrow();
    const fixed = await client.chat({ model: 'llama3.2', messages: ask('minutes'), format: z.toJSONSchema(minutes) });
    expect(() => minutes.parse(JSON.parse(fixed.message.content))).not.toThrow();
  });

  it('hangs until stopped, stop() is prompt, and restart() listens on the same port', async () => {
    const own = await startFakeOllama();
    const ownClient = new Ollama({ host: own.url });
    try {
      own.failNext({ mode: 'hang' });
      let settled = false;
      const hanging = ownClient.chat({ model: 'llama3.2', messages: ask('x') }).finally(() => (settled = true));
      hanging.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(settled).toBe(false);
      // The request hangs for good: stop() returning at all means it closed that connection rather than wait for it.
      await own.stop();
      await expect(hanging).rejects.toThrow();
      await expect(ownClient.list()).rejects.toThrow();
      await own.restart();
      expect(own.url).toBe(`http://127.0.0.1:${own.port}`);
      expect((await ownClient.chat({ model: 'llama3.2', messages: ask('back?') })).done).toBe(true);
    } finally {
      await own.stop();
    }
  });
});

describe('tool calling', () => {
  const weather = { type: 'function', function: { name: 'weather.now', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

  it('offers tools, answers with message.tool_calls, then takes the tool message on the next request', async () => {
    fake.setResponder((req) => {
      const result = req.messages.find((m) => m.role === 'tool');
      if (result) return `It is ${result.content} there.`;
      return { tool_calls: [{ function: { name: req.tools![0]!.function.name, arguments: { city: 'Lisbon' } } }] };
    });
    const chunks = await collect(await client.chat({ model: 'llama3.2', messages: ask('Weather in Lisbon?'), tools: [weather], stream: true }));
    const calling = chunks.find((c) => c.message.tool_calls);
    expect(calling!.message.tool_calls).toEqual([{ function: { name: 'weather.now', arguments: { city: 'Lisbon' } } }]);
    expect(chunks.at(-1)!.done).toBe(true);
    const whole = await client.chat({ model: 'llama3.2', messages: ask('Weather in Lisbon?'), tools: [weather] });
    expect(whole.message.tool_calls).toEqual(calling!.message.tool_calls);
    const answer = await client.chat({
      model: 'llama3.2',
      messages: [...ask('Weather in Lisbon?'), { role: 'assistant', content: '', tool_calls: whole.message.tool_calls! }, { role: 'tool', content: '21 °C', tool_name: 'weather.now' }],
      tools: [weather],
    });
    expect(answer.message.content).toBe('It is 21 °C there.');
    expect(answer.message.tool_calls).toBeUndefined();
    const sent = fake.requests.at(-1)!.body as { tools: unknown[]; messages: Array<{ role: string; tool_name?: string }> };
    expect(sent.tools).toEqual([weather]);
    expect(sent.messages.at(-1)).toMatchObject({ role: 'tool', tool_name: 'weather.now' });
  });

  it('misbehaves on demand: a tool that was never offered, arguments that are not an object', async () => {
    fake.setResponder(() => ({ tool_calls: [{ function: { name: 'fs.delete', arguments: { path: '/' } } }, { function: { name: 'weather.now', arguments: '{"city": "Lisbon"}' } }] }));
    const reply = await client.chat({ model: 'llama3.2', messages: ask('x'), tools: [weather] });
    expect(reply.message.tool_calls).toEqual([{ function: { name: 'fs.delete', arguments: { path: '/' } } }, { function: { name: 'weather.now', arguments: '{"city": "Lisbon"}' } }]);
  });

  it('refuses what Ollama refuses: tools for a model without the capability, arguments sent back that are not an object', async () => {
    fake.addModel({ name: 'gemma-notools', kind: 'chat', tools: false });
    const shown = await client.show({ model: 'gemma-notools' });
    expect(shown.capabilities).not.toContain('tools');
    expect((await client.show({ model: 'llama3.2' })).capabilities).toContain('tools');
    await expect(client.chat({ model: 'gemma-notools', messages: ask('x'), tools: [weather] })).rejects.toMatchObject({ status_code: 400, error: 'registry.ollama.ai/library/gemma-notools:latest does not support tools' });
    // Without tools the same model answers.
    expect((await client.chat({ model: 'gemma-notools', messages: ask('x') })).done).toBe(true);
    const bad = [...ask('x'), { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather.now', arguments: 'Lisbon' as never } }] }];
    await expect(client.chat({ model: 'llama3.2', messages: bad, tools: [weather] })).rejects.toMatchObject({ status_code: 400 });
    fake.removeModel('gemma-notools');
  });
});
