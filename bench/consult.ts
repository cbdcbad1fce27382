/**
 * A consult of 3 agents with 3 backend slots against one chat, on the Ollama
 * fake with 400 ms to first token. Parallel consults should cost about one call.
 *   npx tsx bench/consult.ts [--runs 5]
 */
import { parseArgs } from 'node:util';
import { openTestCouncil } from '../test/support/openTestCouncil.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const agents = ['solutions_architect', 'backend_developer', 'devops_engineer'];

const fake = await startFakeOllama({ parallel: 3 });
fake.setLatency({ ttftMs: 400, tokenMs: 10, embedMs: 5 });
const tc = await openTestCouncil({ ollamaUrl: fake.url, env: { OLLAMA_NUM_PARALLEL: '3' } });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const single: number[] = [];
const consult: number[] = [];
for (let run = 0; run < runs; run++) {
  let started = performance.now();
  await tc.council.chatWithAgent('backend_developer', `How do we scale the API? (${run})`, { scope: `bench:single:${run}` });
  single.push(performance.now() - started);
  started = performance.now();
  const replies = await tc.council.consult(`How do we scale the API? (${run})`, agents, { scope: `bench:consult:${run}` });
  consult.push(performance.now() - started);
  if (replies.some((r) => r.error)) throw new Error(`consult failed: ${JSON.stringify(replies.map((r) => r.error))}`);
}
console.log(`one chat:            median ${median(single).toFixed(0)} ms over ${runs} runs`);
console.log(`consult of 3, 3 slots: median ${median(consult).toFixed(0)} ms over ${runs} runs (fake max concurrency ${fake.maxConcurrent})`);
console.log(`ratio consult / one chat: ${(median(consult) / median(single)).toFixed(3)} (target <= 1.1)`);
await tc.dispose();
await fake.stop();
