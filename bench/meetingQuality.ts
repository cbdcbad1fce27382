/**
 * How well meetings deliberate when the model behaves like a small local one:
 * the facilitator always takes the first option offered, 10% of its answers
 * are malformed JSON, another 10% name the last speaker again, and every turn
 * only agrees. Its picks write the fields of the schema they are sent (each
 * string cut at its maxLength, the whole at num_predict), so a shorter
 * schema or a lower cap shows in the figures; a position is as long as a
 * contribution, as its prompt asks for the same word budget. Runs the meeting engine on its ports (in-memory store, a model
 * that sleeps for the time its prompt and answer would take, a floor where a
 * person posts every few turns) and prints, per meeting kind side by side:
 * participation coverage (goal 1.0 on topics no person closed), spread of
 * turns per participant, facilitator fallback rate, picks asked of the model
 * per turn, human posts lost (goal 0), citations valid after citeEvidence
 * (goal 100%), wall over summed model time (goal <= 1.05) and the
 * facilitator's share of model time (goal <= 15%), dissent asked per
 * topic (the scripted facilitator always reads agreement: goal 1.0), and the
 * picks decided by address (a quarter of the scripted contributions end by
 * calling on a colleague by name; the people's posts name nobody).
 *   npx tsx bench/meetingQuality.ts [--meetings 10] [--topics 3] [--facilitator-speed 1]
 * --facilitator-speed 3 models a FACILITATOR_MODEL three times as fast as the persona model.
 *
 * With --base-url the same meetings run on that Ollama (the real roles, the
 * meeting's own model adapter): --model is MODEL_NAME (the facilitator and
 * anyone without another), --models a,b,c gives the participants those models
 * in turn, --facilitator-model a smaller one for the picks. It also prints
 * conformity (share of the turns after a topic's first view that the
 * facilitator's model classifies as agreeing with it: lower is better) and
 * the distinctness of the independent positions (mean cosine distance of
 * their embeddings via /api/embed with EMBED_MODEL: higher is better).
 *   npx tsx bench/meetingQuality.ts --base-url http://localhost:11434 --model llama3.2 --models llama3.2,qwen2.5 --meetings 2 --topics 2
 */
import { parseArgs } from 'node:util';
import { AgentRegistry } from '../core/agents/agentRegistry.js';
import { loadConfig } from '../core/config/index.js';
import { LlmClient } from '../core/llm/llmClient.js';
import type { ChatChunk } from '../core/llm/types.js';
import { citeEvidence } from '../core/meetings/engine/citeEvidence.js';
import { conductTopics } from '../core/meetings/engine/conductTopics.js';
import type { Floor, MeetingModel, TurnStore } from '../core/meetings/engine/ports.js';
import { topicParticipation } from '../core/meetings/engine/topicParticipation.js';
import type { TurnRow } from '../core/meetings/store/meetingStore.js';
import { defaultRolesDir } from '../core/paths.js';
import { loadRoles } from '../core/roles/loadRoles.js';
import { agents as scriptedAgents, designReview, memoryTurnStore, participants, plan, scriptedFloor } from '../test/meetings/support/engineDoubles.js';
import { conformity, distinctness } from './judgeMeeting.js';
import { ollamaMeetingModel } from './ollamaMeetingModel.js';

const { values } = parseArgs({
  options: {
    meetings: { type: 'string', default: '10' },
    topics: { type: 'string', default: '3' },
    'facilitator-speed': { type: 'string', default: '1' },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    models: { type: 'string' },
    'facilitator-model': { type: 'string' },
    'embed-model': { type: 'string' },
  },
  strict: true,
});
const meetingsPerKind = Number(values.meetings);
const topicCount = Number(values.topics);
const facilitatorSpeed = Number(values['facilitator-speed']);
const real = values['base-url'] !== undefined;
if (!real && (values.model || values.models || values['facilitator-model'] || values['embed-model'])) {
  console.error('--model, --models, --facilitator-model and --embed-model need --base-url (a real Ollama)');
  process.exit(2);
}
const config = real
  ? loadConfig({
      OLLAMA_BASE_URL: values['base-url'],
      LOG_LEVEL: 'silent',
      ...(values.model ? { MODEL_NAME: values.model } : {}),
      ...(values['embed-model'] ? { EMBED_MODEL: values['embed-model'] } : {}),
      ...(values['facilitator-model'] ? { FACILITATOR_MODEL: values['facilitator-model'] } : {}),
    })
  : null;
const llm = config ? new LlmClient(config) : null;
const participantModels = (values.models ?? '').split(',').map((m) => m.trim()).filter(Boolean);
/** Participant i speaks with --models[i mod n]; the facilitator and everyone else with --model. */
const speakerModel = (agentId: string) => (participants.includes(agentId) && participantModels.length > 0 ? participantModels[participants.indexOf(agentId) % participantModels.length] : undefined);
const agents = real ? new AgentRegistry(await loadRoles(defaultRolesDir), 0.7) : scriptedAgents;

// Time a local 7-8B model takes, scaled 1:100 so a run takes seconds: prompt prefill per token, then each output token.
const prefillMsPerToken = 0.004;
const msPerOutputToken = 0.3;
const tokens = (text: string) => Math.ceil(text.length / 4);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deterministic draws so every run measures the same meetings. */
function random(seed: number) {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** Wall time per phase of a run, in ms: where the time that is not model time goes. */
const phases = ['model calls', 'storing turns', 'inbox (floor)', 'sinks', 'engine (replay, prompts)'] as const;
type Phases = Record<(typeof phases)[number], number>;
const noPhases = (): Phases => Object.fromEntries(phases.map((p) => [p, 0])) as Phases;

/** Adds the wall time of `work` to `phase`. */
async function timed<T>(clock: Phases, phase: keyof Phases, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    clock[phase] += performance.now() - started;
  }
}

function smallLocalModel(draw: () => number) {
  /**
   * Model time as scripted; the wall time while at least one call is in
   * flight (busy); and how late the sleeps ended, summed per call (a timer
   * fires late when the process waits for a CPU: the machine is shared).
   */
  const time = { persona: 0, facilitator: 0, busy: 0, late: 0 };
  let inFlight = 0;
  let busySince = 0;
  const nap = async (ms: number) => {
    const started = performance.now();
    if (inFlight++ === 0) busySince = started;
    await sleep(ms);
    const ended = performance.now();
    time.late += Math.max(0, ended - started - ms);
    if (--inFlight === 0) time.busy += ended - busySince;
  };
  let picks = 0;
  const model: MeetingModel = {
    name: 'small-local',
    async pick(request) {
      picks++;
      const prompt = tokens(request.messages.map((m) => m.content).join('\n'));
      const roll = draw();
      // Structured output: the model writes the fields of the schema it is sent, each string cut at the schema's maxLength.
      const fields = (request.format as { properties: Record<string, { maxLength?: number }> }).properties;
      const said: Record<string, unknown> = { next: request.choices[0], reason: 'their view is missing from the discussion so far', agreement: true, agreed_on: 'keeping it simple and measuring first' };
      const written = Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, typeof said[key] === 'string' && field.maxLength ? (said[key] as string).slice(0, field.maxLength) : said[key]]));
      const full = roll < 0.1 ? '{"next": "backend_dev' : roll < 0.2 && request.lastSpeaker ? JSON.stringify({ ...written, next: request.lastSpeaker }) : JSON.stringify(written);
      // num_predict: generation stops at the cap, so a longer answer is cut (and is malformed JSON).
      const answer = tokens(full) > request.maxTokens ? full.slice(0, request.maxTokens * 4) : full;
      const ms = (prompt * prefillMsPerToken + tokens(answer) * msPerOutputToken) / facilitatorSpeed;
      time.facilitator += ms;
      await nap(ms);
      return answer;
    },
    async *speak(request): AsyncGenerator<ChatChunk> {
      const prompt = tokens(request.messages.map((m) => m.content).join('\n'));
      // A position is asked for in the same word budget as a contribution (recommendation, reason, what would change one's mind), so it is as long.
      // A quarter of the contributions end by calling on a colleague by name, as people in a discussion do.
      const colleagues = participants.filter((id) => id !== request.agentId);
      const call = request.kind === 'contribution' && draw() < 0.25 ? ` What would break first, ${agents.get(colleagues[Math.floor(draw() * colleagues.length)]!).name.split(' ')[0]}?` : '';
      const content = request.kind === 'position' ? `My own view as ${request.agentId}: keep it simple and measure first; ${'a reason from my own expertise '.repeat(6)}` : `I agree with what was said; ${'a considered point that builds on it '.repeat(6)}${call}`;
      const ms = prompt * prefillMsPerToken + tokens(content) * msPerOutputToken;
      time.persona += ms;
      await nap(ms);
      yield { done: { content, model: 'small-local', promptTokens: prompt, completionTokens: tokens(content), durationMs: ms, ttftMs: 0 } };
    },
    async minutes() {
      return '{}';
    },
  };
  return { model, time, picks: () => picks };
}

async function runKind(independent: boolean) {
  const draw = random(independent ? 7 : 11);
  const totals = { addressed: 0, dissent: 0, slots: 0, heardSlots: 0, topics: 0, spreadSum: 0, picks: 0, fallbacks: 0, turns: 0, lost: 0, citations: 0, validCitations: 0, wall: 0, model: 0, facilitator: 0, agreeing: 0, judged: 0, distanceSum: 0, pairs: 0, late: 0, phases: noPhases() };
  for (let m = 0; m < meetingsPerKind; m++) {
    const { model, time, picks } = llm ? ollamaMeetingModel(llm, `bench:${independent ? 'independent' : 'open'}:${m}`, speakerModel) : smallLocalModel(draw);
    const clock = noPhases();
    const memory = memoryTurnStore();
    const store: TurnStore = {
      addTurn: (turn) => timed(clock, 'storing turns', () => memory.addTurn(turn)),
      closeTopic: (...args) => timed(clock, 'storing turns', () => memory.closeTopic(...args)),
      closedTopics: () => timed(clock, 'storing turns', () => memory.closedTopics()),
    };
    const people = scriptedFloor();
    people.stored = memory.stored;
    const floor: Floor = {
      async *checkpoint(at) {
        const steps = people.checkpoint(at);
        for (;;) {
          const step = await timed(clock, 'inbox (floor)', () => steps.next());
          if (step.done) return step.value;
          yield step.value;
        }
      },
      awaitPeople: (topicIndex) => people.awaitPeople(topicIndex),
    };
    const turns: TurnRow[] = [];
    let said = 0;
    let posted = 0;
    const started = performance.now();
    for await (const event of conductTopics({
      meeting: plan({ agenda: Array.from({ length: topicCount }, (_, i) => `Topic ${i + 1}`) }),
      type: { ...designReview, independentPositions: independent },
      agents,
      turns,
      store,
      model,
      floor,
      contextTokens: 8192,
      carried: [],
      signal: new AbortController().signal,
    })) {
      const sinkStarted = performance.now();
      // A person posts every fifth turn and during every topic summary.
      if (event.type === 'turn_started' && (event.kind === 'topic_summary' || ++said % 5 === 0)) {
        people.say(`a remark from a person, number ${posted}`);
        posted++;
      }
      if (event.type === 'next_speaker' && event.fallback) totals.fallbacks++;
      if (event.type === 'next_speaker' && event.source === 'addressed') totals.addressed++;
      clock.sinks += performance.now() - sinkStarted;
    }
    const wall = performance.now() - started;
    totals.wall += wall;
    // The wall the model calls took, once however many ran side by side (late timers included: they are the fake's, not the engine's).
    clock['model calls'] = 'busy' in time ? (time.busy as number) : time.persona + time.facilitator;
    totals.late += 'late' in time ? (time.late as number) : 0;
    clock['engine (replay, prompts)'] = wall - phases.filter((p) => p !== 'engine (replay, prompts)').reduce((sum, p) => sum + clock[p], 0);
    for (const p of phases) totals.phases[p] += clock[p];
    totals.model += time.persona + time.facilitator;
    totals.facilitator += time.facilitator;
    totals.picks += picks();
    const stored = memory.stored;
    totals.dissent += stored.filter((t) => t.kind === 'dissent').length;
    totals.turns += stored.filter((t) => t.agentId && t.kind !== 'opening' && t.kind !== 'topic_summary').length;
    // The run's final inbox read before the minutes (runMeeting) takes in what was said during the last summary.
    const final = people.checkpoint({ topicIndex: topicCount - 1, round: 3, nextSeq: (stored.at(-1)?.seq ?? 0) + 1, force: true });
    for (let step = await final.next(); !step.done; step = await final.next());
    totals.lost += posted - stored.filter((t) => t.kind === 'human').length;
    for (let topicIndex = 0; topicIndex < topicCount; topicIndex++) {
      const closedBy = memory.closed.find((c) => c.topicIndex === topicIndex)?.closedBy ?? null;
      const seen = topicParticipation(stored, topicIndex, participants, closedBy);
      if (closedBy !== 'humans') {
        totals.slots += participants.length;
        totals.heardSlots += seen.spoke.length;
      }
      const counts = seen.spoke.map((s) => s.turns);
      totals.spreadSum += counts.length > 0 ? Math.max(...counts) - Math.min(...counts, ...(seen.unheard.length ? [0] : [])) : 0;
      totals.topics++;
    }
    // Minutes citing real turns, one made-up number and one missing citation each, as small models do.
    const last = stored.at(-1)?.seq ?? 1;
    const raw = { summary: 's', decisions: [{ decision: 'keep it simple', rationale: 'measure first', source_turns: [2, last + 40] }], action_items: [{ owner: participants[0]!, task: 'measure the cache hit rate', source_turns: [] }], open_questions: [], risks: [], sections: {} };
    const cited = citeEvidence(raw, stored);
    const all = [...cited.decisions, ...cited.action_items].flatMap((d) => d.source_turns);
    totals.citations += all.length;
    totals.validCitations += all.filter((n) => stored.some((t) => t.seq === n)).length;
    if (llm && config) {
      const [agreeing, judged] = await conformity(llm, config.FACILITATOR_MODEL ?? config.MODEL_NAME, stored);
      totals.agreeing += agreeing;
      totals.judged += judged;
      const [distanceSum, pairs] = await distinctness(llm, stored);
      totals.distanceSum += distanceSum;
      totals.pairs += pairs;
    }
  }
  return totals;
}

const rows = [
  ['open discussion', await runKind(false)],
  ['independent positions', await runKind(true)],
] as const;
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
const where = config ? `Ollama ${config.OLLAMA_BASE_URL.join(', ')}: ${config.MODEL_NAME}${participantModels.length ? `, participants ${participantModels.join(', ')}` : ''}${config.FACILITATOR_MODEL ? `, facilitator ${config.FACILITATOR_MODEL}` : ''}, embeddings ${config.EMBED_MODEL}` : `scripted small model, facilitator speed x${facilitatorSpeed}`;
console.log(`${meetingsPerKind} meetings x ${topicCount} topics x ${participants.length} participants per kind; ${where}`);
console.log(['kind', 'coverage', 'spread', 'fallback rate', 'dissent/topic', 'picks/turn', 'by address', 'posts lost', 'citations valid', 'wall/model', 'wall/model calls', 'facilitator share', ...(real ? ['conformity', 'distinctness'] : [])].join(' | '));
for (const [kind, t] of rows) {
  console.log(
    [
      kind,
      (t.heardSlots / t.slots).toFixed(3),
      (t.spreadSum / t.topics).toFixed(2),
      pct(t.fallbacks, t.picks),
      (t.dissent / t.topics).toFixed(2),
      (t.picks / t.turns).toFixed(2),
      String(t.addressed),
      String(t.lost),
      pct(t.validCitations, t.citations),
      (t.wall / t.model).toFixed(3),
      (t.wall / t.phases['model calls']).toFixed(3),
      pct(t.facilitator, t.model),
      ...(real ? [pct(t.agreeing, t.judged), t.pairs === 0 ? 'n/a' : (t.distanceSum / t.pairs).toFixed(3)] : []),
    ].join(' | '),
  );
}
console.log('where the wall time goes, ms per meeting (model calls: the wall while one is in flight, once however many overlap; of it, timers late: how late the sleeps of the fake model ended, summed per call):');
console.log(['kind', 'wall', ...phases, 'of it, timers late'].join(' | '));
for (const [kind, t] of rows) console.log([kind, t.wall, ...phases.map((p) => t.phases[p]), t.late].map((v) => (typeof v === 'number' ? (v / meetingsPerKind).toFixed(1) : v)).join(' | '));
