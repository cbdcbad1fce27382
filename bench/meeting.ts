/**
 * A 4-participant, 3-topic meeting on the Ollama fake with realistic latency,
 * twice: personas only, then with a scripted person who posts every N turns
 * and answers the facilitator's questions. Prints wall time over the summed
 * model time of its calls (the engine's own overhead, target <= 1.05; the
 * time spent waiting for people is excluded), what the facilitator's pick
 * costs (an extra structured call per turn), its fallback rate, and the
 * prompt tokens of each turn as the meeting grows.
 *   npx tsx bench/meeting.ts [--ttft 300] [--token-ms 15] [--every 3]
 */
import { parseArgs } from 'node:util';
import type { CouncilEvent } from '../core/events.js';
import { metrics } from '../core/metrics.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';
import { openTestCouncil } from '../test/support/openTestCouncil.js';

const { values } = parseArgs({ options: { ttft: { type: 'string', default: '300' }, 'token-ms': { type: 'string', default: '15' }, every: { type: 'string', default: '3' } } });
const every = Number(values.every);
const fake = await startFakeOllama({ parallel: 1 });
fake.setLatency({ ttftMs: Number(values.ttft), tokenMs: Number(values['token-ms']) });
let turn = 0;
const minutesJson = JSON.stringify({ summary: 'Agreed on boundaries, consistency and rollout.', decisions: [{ decision: 'Split billing first', rationale: 'least coupled', source_turns: [2] }], action_items: [{ owner: 'backend_developer', task: 'Draft the API', source_turns: [3] }], open_questions: [], risks: [], sections: { architecture_summary: 'Two services.' } });
// Minutes and persona turns are scripted; the facilitator's picks come from the fake's schema-valid default answer.
const defaultResponder = (await import('../test/fakes/ollama/index.js')).defaultResponder;
fake.setResponder((req) => {
  if (req.format && req.messages[0]!.content.startsWith('You write the minutes')) return minutesJson;
  if (req.format) return defaultResponder(req);
  return `Turn ${++turn}: ` + 'a considered point about the topic that builds on what was said before '.repeat(4);
});
const tc = await openTestCouncil({ ollamaUrl: fake.url, env: { MEETING_HUMAN_WAIT_MS: '30000' } });

async function sumOf(metric: { get(): Promise<{ values: Array<{ metricName?: string; value: number; labels: Record<string, string | number> }> }> }, name: string, label?: [string, string]): Promise<number> {
  const { values: samples } = await metric.get();
  // Counters report samples without a metricName; histograms name each series (_sum, _count, _bucket).
  return samples.filter((s) => (s.metricName ?? name) === name && (!label || s.labels[label[0]] === label[1])).reduce((sum, s) => sum + s.value, 0);
}
const modelSeconds = () => sumOf(metrics.llmRequestDuration, 'council_llm_request_duration_seconds_sum');
const pickSeconds = () => sumOf(metrics.llmRequestDuration, 'council_llm_request_duration_seconds_sum', ['kind', 'facilitator']);
const fallbackCount = () => sumOf(metrics.facilitatorFallbacks, 'council_meeting_facilitator_fallbacks_total');
const pickCount = () => sumOf(metrics.facilitatorPicks, 'council_meeting_facilitator_picks_total');

async function run(label: string, person: boolean): Promise<void> {
  const meeting = await tc.council.createMeeting({
    type: 'architecture_review',
    title: `Billing v2 (${label})`,
    topics: ['Service boundaries', 'Data consistency', 'Rollout'],
    participants: ['software_architect', 'backend_developer', 'site_reliability_engineer', 'security_architect'],
  });
  const before = { model: await modelSeconds(), picks: await pickSeconds(), fallbacks: await fallbackCount(), decisions: await pickCount() };
  const rows: Array<{ topic: number; speaker: string; kind: string; promptTokens: number | null }> = [];
  let personaTurns = 0;
  let waitedMs = 0;
  let waitStarted = 0;
  const say = (text: string) => void tc.council.meetings.post(meeting.id, text, { ownerId: 'cli:bench', name: 'Bench person', guildId: null, placeId: null }).catch(() => {});
  const started = performance.now();
  for await (const event of tc.council.runMeeting(meeting.id) as AsyncIterable<CouncilEvent>) {
    if (waitStarted && event.type === 'human_turn') {
      waitedMs += performance.now() - waitStarted;
      waitStarted = 0;
    }
    if (event.type === 'turn_done' && event.stats) {
      rows.push({ topic: (event.topicIndex ?? 0) + 1, speaker: event.agent, kind: event.kind ?? '', promptTokens: event.stats.promptTokens });
      if (person && ++personaTurns % every === 0) say(`Point ${personaTurns} from the person in the room: mind the migration window.`);
    }
    if (event.type === 'human_turn') rows.push({ topic: event.topicIndex + 1, speaker: `person: ${event.speakerName}`, kind: 'human', promptTokens: null });
    if (event.type === 'waiting_for_people') {
      waitStarted = performance.now();
      say('The budget is fixed for this quarter.');
    }
  }
  const wallMs = performance.now() - started - waitedMs;
  const modelMs = ((await modelSeconds()) - before.model) * 1000;
  const pickMs = ((await pickSeconds()) - before.picks) * 1000;
  const picks = (await pickCount()) - before.decisions;
  const fallbacks = (await fallbackCount()) - before.fallbacks;
  const view = await tc.council.getMeeting(meeting.id);
  console.log(`\n=== ${label} ===`);
  console.log('turn  topic  speaker                     kind           prompt tokens');
  rows.forEach((row, i) => console.log(`${String(i + 1).padStart(4)}  ${String(row.topic).padStart(5)}  ${row.speaker.padEnd(26)}  ${row.kind.padEnd(13)}  ${String(row.promptTokens ?? '').padStart(6)}`));
  console.log(`${view.turns.length} turns (${view.turns.filter((t) => t.kind === 'human').length} by the person), status ${view.status}; topics closed by ${view.topics.map((t) => t.closedBy).join(', ')}`);
  console.log(`wall ${(wallMs / 1000).toFixed(2)} s (human waits excluded: ${(waitedMs / 1000).toFixed(2)} s), sum of model call time ${(modelMs / 1000).toFixed(2)} s, of which facilitator picks ${(pickMs / 1000).toFixed(2)} s (${((pickMs / modelMs) * 100).toFixed(1)}%)`);
  console.log(`wall / sum of model time: ${(wallMs / modelMs).toFixed(3)} (target <= 1.05)`);
  console.log(`facilitator: ${picks} decisions, ${fallbacks} fallbacks (rate ${picks ? (fallbacks / picks).toFixed(3) : '0'})`);
}

await run('personas only', false);
await run(`with a person posting every ${every} turns`, true);
await tc.dispose();
await fake.stop();
