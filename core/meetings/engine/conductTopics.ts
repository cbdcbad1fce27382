import type { AgentRegistry } from '../../agents/agentRegistry.js';
import type { CallStats, CouncilEvent } from '../../events.js';
import { replyReserveTokens } from '../../llm/replyReserveTokens.js';
import { toolCallRecord, type ToolCallRecord } from '../../tools/toolCallRecord.js';
import type { MeetingType } from '../meetingTypeSchema.js';
import type { TurnKind, TurnRow } from '../store/meetingStore.js';
import { addressDecides } from './addressDecides.js';
import { askFacilitator } from './askFacilitator.js';
import { buildTranscript } from './buildTranscript.js';
import { buildTurnPrompt, isPass, type SpokenKind } from './buildTurnPrompt.js';
import { closeReason } from './closeReason.js';
import { facilitatorChoices, unheard } from './facilitatorChoices.js';
import { leastHeard } from './leastHeard.js';
import type { ClosedTopic, Floor, MeetingModel, MeetingPlan, TurnStore } from './ports.js';
import { ruleDecides } from './ruleDecides.js';
import { topicParticipation } from './topicParticipation.js';
import { replayTopic, type TopicState } from './topicState.js';

/** Everything one run of a meeting's agenda works with; `turns` grows as turns are stored. */
export interface AgendaRun {
  meeting: MeetingPlan;
  type: MeetingType;
  agents: AgentRegistry;
  /** The turns stored so far, in order. */
  turns: TurnRow[];
  store: TurnStore;
  model: MeetingModel;
  floor: Floor;
  /** The model's context window, which every prompt's transcript is cut to fit. */
  contextTokens: number;
  /** Open action items of earlier meetings, one line each, for the first opening. */
  carried: readonly string[];
  /** Stops the model call in flight. */
  signal: AbortSignal;
}

/**
 * The agenda, topic by topic. Each step is decided from the stored turns alone
 * (replayTopic), so a resumed run continues exactly where the last stopped and
 * never redoes a stored turn: the facilitator opens; then, before every turn,
 * the floor is yielded (people's messages, pause, cancel); an attendee a
 * person named answers next, then a colleague the last turn called on by
 * name (addressDecides), except that once everyone was heard the facilitator
 * first judges, once per topic, whether the turns agree; the first round
 * goes by rule; otherwise the facilitator picks the next
 * speaker (only among those not yet heard until everyone was), asks the
 * people, or closes; the topic closes on the facilitator's word, when everyone
 * passed, when its budget is spent, or when the people ask; the facilitator
 * sums it up.
 */
export async function* conductTopics(run: AgendaRun): AsyncGenerator<CouncilEvent> {
  const { meeting, type } = run;
  const attendees = [meeting.facilitator, ...meeting.participants];
  const closed = new Map((await run.store.closedTopics()).map((t) => [t.topicIndex, t]));
  /** Per topic, the facilitator's tries at judging agreement in this run (a resumed run may judge once more). */
  const judged = new Map<number, number>();
  const budget = type.roundsPerTopic * meeting.participants.length;
  const replay = (topicIndex: number) => replayTopic(run.turns, topicIndex, attendees, meeting.participants, run.agents);
  const close = async function* (topicIndex: number, ending: Omit<ClosedTopic, 'topicIndex'>): AsyncGenerator<CouncilEvent> {
    await run.store.closeTopic(topicIndex, ending.closedBy, ending.reason ?? '');
    closed.set(topicIndex, { topicIndex, ...ending });
    const { spoke, unheard } = topicParticipation(run.turns, topicIndex, meeting.participants, ending.closedBy);
    yield { type: 'topic_closed', meetingId: meeting.id, topicIndex, closedBy: ending.closedBy, reason: ending.reason ?? '', spoke: spoke.map((s) => s.id), unheard };
  };

  for (const [topicIndex, topic] of meeting.agenda.entries()) {
    if (replay(topicIndex).summarized) continue;
    yield { type: 'topic_started', meetingId: meeting.id, topicIndex, topic };
    for (;;) {
      // Replaying the topic is the engine's main CPU cost per step: once, and again only when people spoke.
      let state = replay(topicIndex);
      if (yield* yieldFloor(run, topicIndex, state.round)) state = replay(topicIndex);
      if (!state.opened) {
        yield* speak(run, meeting.facilitator, 'opening', topicIndex, 0);
        continue;
      }
      const positions = run.turns.filter((t) => t.topicIndex === topicIndex && t.kind === 'position');
      if (type.independentPositions && state.spoken === positions.length && positions.length < meeting.participants.length) {
        yield* takePositions(run, topicIndex, meeting.participants.filter((id) => !positions.some((t) => t.agentId === id)));
        continue;
      }
      // Someone named answers even past the budget, but not past one extra turn each: a person asking again and again cannot hold the topic open.
      const answerOwed = state.addressed && !state.humansClose && state.spoken < budget + meeting.participants.length;
      const ending = closed.get(topicIndex) ?? (answerOwed ? null : closeReason(state, budget));
      if (ending) {
        if (!closed.has(topicIndex)) yield* close(topicIndex, ending);
        yield* yieldFloor(run, topicIndex, state.round);
        yield* speak(run, meeting.facilitator, 'topic_summary', topicIndex, type.roundsPerTopic + 1);
        break;
      }
      if (state.addressed) {
        yield { type: 'next_speaker', meetingId: meeting.id, topicIndex, next: state.addressed, reason: `${state.addressedBy ?? 'a person'} spoke to them by name`, source: 'addressed' };
        yield* speak(run, state.addressed, 'contribution', topicIndex, state.round, state.addressedBy);
        continue;
      }
      const called = addressDecides(meeting.participants, state);
      const dissentOpen = !run.turns.some((t) => t.topicIndex === topicIndex && t.kind === 'dissent');
      // Colleagues calling on each other by name must not carry a topic to its end unjudged: once everyone was heard, the facilitator says once whether the turns agree.
      const judgeFirst = dissentOpen && (judged.get(topicIndex) ?? 0) < judgeTries && unheard(meeting.participants, state).length === 0;
      const answerCall = async function* (): AsyncGenerator<CouncilEvent> {
        const caller = state.calledBy ? (run.agents.find(state.calledBy)?.name ?? state.calledBy) : 'a colleague';
        yield { type: 'next_speaker', meetingId: meeting.id, topicIndex, next: called!, reason: `${caller} called on them by name`, source: 'addressed' };
        yield* speak(run, called!, 'contribution', topicIndex, state.round, caller);
      };
      if (called && !judgeFirst) {
        yield* answerCall();
        continue;
      }
      const ruled = ruleDecides(meeting.participants, state);
      const pick = ruled ? { ...ruled, source: 'rule' as const, fallback: undefined } : await pickNext(run, topicIndex, state);
      // A pick that judged agreement settles it; one that did not (broken JSON, the field left out) may be asked again, within a bound.
      if (!ruled) judged.set(topicIndex, 'agreement' in pick && pick.agreement ? judgeTries : (judged.get(topicIndex) ?? 0) + 1);
      // The turns agree: once per topic, before the facilitator may close, the chosen participant (or the one heard least) makes the strongest case against.
      if ('agreement' in pick && pick.agreement?.agree && dissentOpen) {
        const challenger = meeting.participants.includes(pick.next) ? pick.next : leastHeard(meeting.participants, state);
        yield { type: 'next_speaker', meetingId: meeting.id, topicIndex, next: challenger, reason: `the turns agree${pick.agreement.on ? ` on ${pick.agreement.on}` : ''}: the strongest case against, once per topic`, source: 'rule' };
        if (yield* yieldFloor(run, topicIndex, state.round)) continue;
        yield* speak(run, challenger, 'dissent', topicIndex, state.round);
        continue;
      }
      // The pick only judged agreement: the colleague called on by name still answers.
      if (called) {
        yield* answerCall();
        continue;
      }
      yield { type: 'next_speaker', meetingId: meeting.id, topicIndex, next: pick.next, reason: pick.reason, source: pick.source, ...(pick.fallback ? { fallback: pick.fallback } : {}) };
      if (pick.next === 'close') {
        yield* close(topicIndex, { closedBy: 'facilitator', reason: pick.reason });
        continue;
      }
      // A person may have spoken while the facilitator chose: decide again with their words heard.
      if (yield* yieldFloor(run, topicIndex, state.round)) continue;
      if (pick.next === 'humans') {
        yield* speak(run, meeting.facilitator, 'question', topicIndex, state.round);
        yield* run.floor.awaitPeople(topicIndex);
        continue;
      }
      yield* speak(run, pick.next, 'contribution', topicIndex, state.round);
    }
  }
}

/** Picks that may be spent on judging a topic's agreement when calls by name would decide the step. */
const judgeTries = 2;

const nextSeq = (run: AgendaRun) => (run.turns.at(-1)?.seq ?? 0) + 1;

/** Between turns: whatever the floor decides; true when people spoke (their turns are stored and now part of the run). */
async function* yieldFloor(run: AgendaRun, topicIndex: number, round: number): AsyncGenerator<CouncilEvent, boolean> {
  const heard = yield* run.floor.checkpoint({ topicIndex, round, nextSeq: nextSeq(run) });
  run.turns.push(...heard);
  return heard.length > 0;
}

/** The facilitator's pick sees only the latest turns (two or three): choosing a speaker needs little, and every token of it is paid on every pick. */
const pickTranscriptTokens = 400;

function transcriptFor(run: AgendaRun, promptChars: number, cap = Infinity, turns: TurnRow[] = run.turns): string {
  const budget = Math.min(cap, run.contextTokens - replyReserveTokens - Math.ceil(promptChars / 4) - 400);
  return buildTranscript(turns, run.meeting.agenda, run.agents, Math.max(256, budget));
}

async function pickNext(run: AgendaRun, topicIndex: number, state: TopicState) {
  const { meeting, agents } = run;
  const facilitator = agents.get(meeting.facilitator);
  const label = (id: string) => `${id} (${agents.find(id)?.name ?? id})`;
  return askFacilitator(run.model, {
    facilitator,
    context: `"${meeting.title}" (${run.type.name}), topic ${topicIndex + 1}: ${meeting.agenda[topicIndex]}`,
    transcript: transcriptFor(run, facilitator.prompt.length, pickTranscriptTokens),
    heard: meeting.participants.map((id) => ({ id, label: label(id), turns: state.heard.get(id) ?? 0 })),
    choices: facilitatorChoices(meeting.participants, state),
    lastSpeaker: state.lastSpeaker,
    fallback: leastHeard(meeting.participants, state),
    // Agreement only matters until the topic heard its strongest case against.
    askAgreement: !run.turns.some((t) => t.topicIndex === topicIndex && t.kind === 'dissent'),
    signal: run.signal,
  });
}

/**
 * Every participant states a position without seeing the others': all asked
 * at once (each in its own lane of the fair limiter), none shown a position
 * of this topic, all stored in the order of the invitation once every one is
 * in, so the discussion that follows sees them all. One failing stops the rest.
 */
async function* takePositions(run: AgendaRun, topicIndex: number, who: readonly string[]): AsyncGenerator<CouncilEvent> {
  const { agents, meeting } = run;
  const unseen = run.turns.filter((t) => !(t.topicIndex === topicIndex && t.kind === 'position'));
  const stop = new AbortController();
  const signal = AbortSignal.any([run.signal, stop.signal]);
  const given = await Promise.all(
    who.map(async (id) => {
      const role = agents.get(id);
      const messages = buildTurnPrompt({ role, meeting, type: run.type, agents, topicIndex, kind: 'position', transcript: transcriptFor(run, role.prompt.length, Infinity, unseen), carried: run.carried });
      let content = '';
      let stats: CallStats | null = null;
      const toolCalls: ToolCallRecord[] = [];
      try {
        for await (const chunk of run.model.speak({ agentId: id, kind: 'position', messages, temperature: agents.temperatureOf(role) }, signal)) {
          if ('done' in chunk) ({ content, ...stats } = chunk.done);
          else if ('toolCall' in chunk) toolCalls.push(toolCallRecord(chunk.toolCall));
        }
      } catch (error) {
        stop.abort(error);
        throw error;
      }
      return { id, content, stats, toolCalls };
    }),
  );
  for (const { id, content, stats, toolCalls } of given) {
    const row = await run.store.addTurn({ seq: nextSeq(run), topicIndex, round: 1, agentId: id, kind: 'position', content: content.trim() || 'PASS', stats, toolCalls });
    run.turns.push(row);
    // Faces show one turn at a time (started, text, done): each position is shown whole, in order, once all are in.
    yield { type: 'turn_started', agent: id, meetingId: meeting.id, topicIndex, round: 1, kind: 'position' };
    yield { type: 'token', agent: id, meetingId: meeting.id, topicIndex, round: 1, kind: 'position', text: row.content };
    yield { type: 'turn_done', agent: id, meetingId: meeting.id, topicIndex, round: 1, kind: 'position', seq: row.seq, content: row.content, messageId: row.id, stats };
  }
}

/** One persona's turn: prompt from the stored transcript, streamed, stored the moment it ends. */
async function* speak(run: AgendaRun, agentId: string, planned: SpokenKind, topicIndex: number, round: number, answering: string | null = null): AsyncGenerator<CouncilEvent> {
  const { agents, meeting } = run;
  const role = agents.get(agentId);
  const messages = buildTurnPrompt({
    role,
    meeting,
    type: run.type,
    agents,
    topicIndex,
    kind: planned,
    transcript: transcriptFor(run, role.prompt.length),
    carried: run.carried,
    answering,
  });
  yield { type: 'turn_started', agent: role.id, meetingId: meeting.id, topicIndex, round, kind: planned };
  let content = '';
  let stats: CallStats | null = null;
  const toolCalls: ToolCallRecord[] = [];
  for await (const chunk of run.model.speak({ agentId: role.id, kind: planned, messages, temperature: agents.temperatureOf(role) }, run.signal)) {
    if ('token' in chunk) yield { type: 'token', agent: role.id, meetingId: meeting.id, topicIndex, round, kind: planned, text: chunk.token };
    else if ('toolCall' in chunk) {
      toolCalls.push(toolCallRecord(chunk.toolCall));
      yield { type: 'tool_call', agent: role.id, meetingId: meeting.id, topicIndex, round, kind: planned, ...chunk.toolCall };
    } else ({ content, ...stats } = chunk.done);
  }
  const kind: TurnKind = planned === 'contribution' && isPass(content) ? 'pass' : planned;
  const row = await run.store.addTurn({ seq: nextSeq(run), topicIndex, round, agentId: role.id, kind, content: content.trim() || 'PASS', stats, toolCalls });
  run.turns.push(row);
  yield { type: 'turn_done', agent: role.id, meetingId: meeting.id, topicIndex, round, kind: kind as Exclude<TurnKind, 'human'>, seq: row.seq, content: row.content, messageId: row.id, stats };
  if (kind === 'topic_summary') yield { type: 'topic_summary', meetingId: meeting.id, topicIndex, topic: meeting.agenda[topicIndex] ?? '', summary: row.content };
}
