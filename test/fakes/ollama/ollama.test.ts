import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeOllama, type FakeOllama } from './index.js';

let fake: FakeOllama;
let client: Ollama;

beforeAll(async () => {
  fake = await startFakeOllama({ parallel: 2 });
  client = new Ollama({ host: fake.url });
});
afterAll(async () => {
  await fake.stop();
});

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

describe('Ollama fake, through the real ollama client', () => {
  it('lists its models and answers a non-streamed chat', async () => {
    const { models } = await client.list();
    expect(models.map((m) => m.name)).toEqual(['llama3.2:latest', 'nomic-embed-text:latest']);
    const reply = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hello' }] });
    expect(reply.message.content).toContain('hello');
    expect(reply.eval_count).toBeGreaterThan(0);
  });

  it('returns structured output that validates against the schema it was given', async () => {
    const schema = z.object({ owner: z.enum(['a', 'b']), items: z.array(z.object({ task: z.string().min(1), due: z.string().optional() })).min(1), done: z.boolean() });
    const reply = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'minutes' }], format: z.toJSONSchema(schema) as object });
    expect(() => schema.parse(JSON.parse(reply.message.content))).not.toThrow();
  });

  it('embeds related texts closer than unrelated ones', async () => {
    const { embeddings } = await client.embed({ model: 'nomic-embed-text', input: ['postgres index tuning', 'tuning the postgres index', 'birthday cake recipe'] });
    const [a, b, c] = embeddings as [number[], number[], number[]];
    expect(a).toHaveLength(384);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });

  it('queues generations beyond its parallel slots', async () => {
    fake.resetStats();
    fake.setLatency({ ttftMs: 50, tokenMs: 1 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 4 }, () => client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] })));
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  });

  it('answers unknown models like Ollama and comes back on the same port after a restart', async () => {
    await expect(client.chat({ model: 'mistral', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow('model "mistral" not found, try pulling it first');
    await fake.stop();
    await expect(client.list()).rejects.toThrow();
    await fake.restart();
    expect((await client.list()).models.length).toBe(2);
  });

  it('streams invalid JSON on demand', async () => {
    fake.failNext({ mode: 'invalid-json' });
    const reply = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'minutes' }], format: 'json' });
    expect(() => JSON.parse(reply.message.content)).toThrow();
  });
});
