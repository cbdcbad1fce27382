/**
 * A 4-participant, 3-topic meeting on the Ollama fake with realistic latency.
 * Prints wall time over the summed model time of its calls (the engine's own
 * overhead; target <= 1.05) and the prompt tokens of each turn as the meeting grows.
 *   npx tsx bench/meeting.ts [--ttft 300] [--token-ms 15]
 */
import { parseArgs } from 'node:util';
import type { CouncilEvent } from '../core/events.js';
import { metrics } from '../core/metrics.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';
import { openTestCouncil } from '../test/support/openTestCouncil.js';

const { values } = parseArgs({ options: { ttft: { type: 'string', default: '300' }, 'token-ms': { type: 'string', default: '15' } } });
const fake = await startFakeOllama({ parallel: 1 });
fake.setLatency({ ttftMs: Number(values.ttft), tokenMs: Number(values['token-ms']) });
let turn = 0;
fake.setResponder((req) =>
  req.format
    ? JSON.stringify({ summary: 'Agreed on boundaries, consistency and rollout.', decisions: [{ decision: 'Split billing first', rationale: 'least coupled' }], action_items: [{ owner: 'backend_developer', task: 'Draft the API' }], open_questions: [], risks: [], sections: { architecture_summary: 'Two services.' } })
    : `Turn ${++turn}: ` + 'a considered point about the topic that builds on what was said before '.repeat(4),
);
const tc = await openTestCouncil({ ollamaUrl: fake.url });
const meeting = await tc.council.createMeeting({
  type: 'architecture_review',
  title: 'Billing v2',
  topics: ['Service boundaries', 'Data consistency', 'Rollout'],
  participants: ['software_architect', 'backend_developer', 'site_reliability_engineer', 'security_architect'],
});

/** Seconds spent inside model calls, as the LLM client measured them (turns and minutes alike). */
async function modelSeconds(): Promise<number> {
  const { values: samples } = await metrics.llmRequestDuration.get();
  return samples.filter((s) => s.metricName === 'council_llm_request_duration_seconds_sum').reduce((sum, s) => sum + s.value, 0);
}

const modelBefore = await modelSeconds();
const started = performance.now();
const rows: Array<{ topic: number; agent: string; kind: string; promptTokens: number | null }> = [];
for await (const event of tc.council.runMeeting(meeting.id) as AsyncIterable<CouncilEvent>) {
  if (event.type === 'turn_done' && event.stats) {
    rows.push({ topic: (event.topicIndex ?? 0) + 1, agent: event.agent, kind: event.kind ?? '', promptTokens: event.stats.promptTokens });
  }
}
const minutesCalls = fake.requests.filter((r) => r.path === '/api/chat' && (r.body as { format?: unknown }).format).length;
const wallMs = performance.now() - started;
const modelMs = ((await modelSeconds()) - modelBefore) * 1000;
console.log('turn  topic  speaker                     kind           prompt tokens');
rows.forEach((row, i) => console.log(`${String(i + 1).padStart(4)}  ${String(row.topic).padStart(5)}  ${row.agent.padEnd(26)}  ${row.kind.padEnd(13)}  ${String(row.promptTokens).padStart(6)}`));
const view = await tc.council.getMeeting(meeting.id);
console.log(`\n${view.turns.length} turns + ${minutesCalls} minutes call(s), status ${view.status}`);
console.log(`wall ${(wallMs / 1000).toFixed(2)} s, sum of model call time ${(modelMs / 1000).toFixed(2)} s`);
console.log(`wall / sum of model time: ${(wallMs / modelMs).toFixed(3)} (target <= 1.05)`);
await tc.dispose();
await fake.stop();
