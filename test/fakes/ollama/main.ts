/**
 * Runs the Ollama fake by hand, for demos without a GPU:
 *   npx tsx test/fakes/ollama/main.ts --port 11434 --ttft 400 --token-ms 20
 */
import { parseArgs } from 'node:util';
import { startFakeOllama } from './index.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '11434' }, ttft: { type: 'string', default: '300' }, 'token-ms': { type: 'string', default: '20' }, parallel: { type: 'string', default: '4' } },
});
const fake = await startFakeOllama({ port: Number(values.port), parallel: Number(values.parallel), latency: { ttftMs: Number(values.ttft), tokenMs: Number(values['token-ms']) } });
console.log(`fake Ollama listening on ${fake.url} (models llama3.2, nomic-embed-text)`);
