/**
 * Runs the Ollama fake by hand, for demos and benchmarks without a GPU:
 *   npx tsx test/fakes/ollama/main.ts --port 11434 --ttft 400 --token-ms 20 [--parallel 4] [--jitter 0] [--embed-ms 5] [--models qwen2.5,mistral]
 * --models installs more chat models beside llama3.2 and nomic-embed-text; --port 0 takes a free port (the first line says which).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startFakeOllama } from './index.js';
import { defaultModels } from './models.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '11434' },
    ttft: { type: 'string', default: '300' },
    'token-ms': { type: 'string', default: '20' },
    jitter: { type: 'string', default: '0' },
    'embed-ms': { type: 'string', default: '5' },
    parallel: { type: 'string', default: '4' },
    models: { type: 'string', default: '' },
  },
});
const number = z.coerce.number().finite().nonnegative();
const parsed = z
  .object({ port: number.int().max(65535), ttft: number, 'token-ms': number, jitter: number, 'embed-ms': number, parallel: number.int().positive(), models: z.string().regex(/^[^\s]*$/, 'must be comma-separated model names') })
  .safeParse(values);
if (!parsed.success) {
  const issue = parsed.error.issues[0]!;
  console.error(`--${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
const settings = parsed.data;
const extra = settings.models.split(',').filter(Boolean);
const fake = await startFakeOllama({
  models: [...defaultModels, ...extra],
  port: settings.port,
  parallel: settings.parallel,
  latency: { ttftMs: settings.ttft, tokenMs: settings['token-ms'], jitterMs: settings.jitter, embedMs: settings['embed-ms'] },
});
console.log(`fake Ollama on ${fake.url}: models ${[...defaultModels.map((m) => m.name), ...extra].join(', ')}; ttft ${settings.ttft} ms, ${settings['token-ms']} ms/token, ${settings.parallel} parallel`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void fake.stop().then(() => process.exit(0)));
