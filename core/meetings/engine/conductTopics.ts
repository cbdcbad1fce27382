import { CouncilError } from '../../errors.js';
import type { CallStats, CouncilEvent } from '../../events.js';
import { metrics } from '../../metrics.js';
import type { CouncilContext } from '../../orchestrator/context.js';
import { buildTurnPrompt, isPass, type SpokenKind } from './buildTurnPrompt.js';
import type { ControlStore } from '../store/controlStore.js';
import { askFacilitator } from './facilitator.js';
import type { InboxStore } from '../store/inboxStore.js';
import type { MeetingRow, MeetingStore, TurnKind, TurnRow } from '../store/meetingStore.js';
import type { MeetingType } from '../meetingTypeSchema.js';
import { facilitatorChoices, leastHeard } from './pickNextSpeaker.js';
import type { ClosedBy, TopicStore } from '../store/topicStore.js';
import { replayTopic, type TopicState } from './topicState.js';
import { buildTranscript } from './transcript.js';
import type { Wake } from '../coordination/wake.js';

const replyReserveTokens = 1024;
/** How often a waiting runner re-reads the row when no signal came: the backstop for a lost signal. */
const pollMs = 2_000;

/** Everything one run of a meeting works with; `turns` and `seq` grow as turns are stored. */
export interface AgendaRun {
  ctx: CouncilContext;
  store: MeetingStore;
  topics: TopicStore;
  inbox: InboxStore;
  controls: ControlStore;
  wake: Wake;
  meeting: MeetingRow;
  type: MeetingType;
  turns: TurnRow[];
  seq: number;
  runner: string;
  lane: string;
  signal: AbortSignal;
  drain?: AbortSignal;
  /** Open action items of earlier meetings, one line each, for the first opening. */
  carried: string[];
  /** True while the runner waits paused: a shutdown then leaves the meeting paused. */
  paused: boolean;
  /** The doorbell count and time of the last read of the row: with no signal since and a fresh read, a checkpoint costs no query. */
  checked?: { mark: number; at: number };
}

export const shutdownMessage = 'the process is shutting down; the meeting will resume from here';

/**
 * The agenda, topic by topic. Each step is decided from the stored turns alone
 * (replayTopic), so a resumed run continues exactly where the last stopped and
 * never redoes a stored turn: the facilitator opens; then, before every turn,
 * people's messages are taken in and pause/cancel honoured; an attendee a
 * person named answers next; otherwise the facilitator picks the next speaker,
 * asks the people, or closes; the topic closes on the facilitator's word, when
 * everyone passed, when its budget is spent, or when the people ask; the
 * facilitator sums it up.
 */
export async function* conductTopics(run: AgendaRun): AsyncGenerator<CouncilEvent> {
  const { meeting, type } = run;
  const attendees = [meeting.facilitator, ...meeting.participants];
  const closed = new Map((await run.topics.list(meeting.id)).map((t) => [t.topicIndex, t]));
  const budget = type.roundsPerTopic * meeting.participants.length;
  const replay = (topicIndex: number) => replayTopic(run.turns, topicIndex, attendees, meeting.participants, run.ctx.agents);

  for (const [topicIndex, topic] of meeting.agenda.entries()) {
    if (replay(topicIndex).summarized) continue;
    yield { type: 'topic_started', meetingId: meeting.id, topicIndex, topic };
    for (;;) {
      yield* checkpoint(run, topicIndex, replay(topicIndex).round);
      const state = replay(topicIndex);
      if (!state.opened) {
        yield* speak(run, meeting.facilitator, 'opening', topicIndex, 0);
        continue;
      }
      const ending = closed.get(topicIndex) ?? (state.addressed && !state.humansClose ? null : closeReason(state, budget));
      if (ending) {
        if (!closed.has(topicIndex)) {
          await run.topics.close(meeting.id, topicIndex, ending.closedBy, ending.reason ?? '');
          closed.set(topicIndex, { meetingId: meeting.id, topicIndex, closedBy: ending.closedBy, reason: ending.reason ?? '', closedAt: new Date() });
          yield { type: 'topic_closed', meetingId: meeting.id, topicIndex, closedBy: ending.closedBy, reason: ending.reason ?? '' };
        }
        yield* checkpoint(run, topicIndex, state.round);
        yield* speak(run, meeting.facilitator, 'topic_summary', topicIndex, type.roundsPerTopic + 1);
        break;
      }
      if (state.addressed) {
        metrics.facilitatorPicks.inc({ source: 'addressed' });
        yield { type: 'next_speaker', meetingId: meeting.id, topicIndex, next: state.addressed, reason: `${state.addressedBy ?? 'a person'} spoke to them by name`, source: 'addressed' };
        yield* speak(run, state.addressed, 'contribution', topicIndex, state.round, state.addressedBy);
        continue;
      }
      const pick = await pickNext(run, topicIndex, state);
      yield { type: 'next_speaker', meetingId: meeting.id, topicIndex, next: pick.next, reason: pick.reason, source: pick.source, ...(pick.fallback ? { fallback: pick.fallback } : {}) };
      if (pick.next === 'close') {
        await run.topics.close(meeting.id, topicIndex, 'facilitator', pick.reason);
        closed.set(topicIndex, { meetingId: meeting.id, topicIndex, closedBy: 'facilitator', reason: pick.reason, closedAt: new Date() });
        yield { type: 'topic_closed', meetingId: meeting.id, topicIndex, closedBy: 'facilitator', reason: pick.reason };
        continue;
      }
      // A person may have spoken while the facilitator chose: decide again with their words heard.
      if (yield* checkpoint(run, topicIndex, state.round)) continue;
      if (pick.next === 'humans') {
        yield* speak(run, meeting.facilitator, 'question', topicIndex, state.round);
        yield* waitForPeople(run, topicIndex);
        continue;
      }
      yield* speak(run, pick.next, 'contribution', topicIndex, state.round);
    }
  }
}

function closeReason(state: TopicState, budget: number): { closedBy: ClosedBy; reason: string } | null {
  if (state.humansClose) return { closedBy: 'humans', reason: 'the people in the meeting asked to move on' };
  if (state.allPassed) return { closedBy: 'passes', reason: 'every participant passed' };
  if (state.spoken >= budget) return { closedBy: 'budget', reason: `the topic's ${budget} turns were spent` };
  return null;
}

function transcriptFor(run: AgendaRun, promptChars: number): string {
  const budget = run.ctx.config.CONTEXT_TOKENS - replyReserveTokens - Math.ceil(promptChars / 4) - 400;
  return buildTranscript(run.turns, run.meeting.agenda, run.ctx.agents, Math.max(256, budget));
}

async function pickNext(run: AgendaRun, topicIndex: number, state: TopicState) {
  const { meeting, ctx } = run;
  const facilitator = ctx.agents.get(meeting.facilitator);
  const label = (id: string) => `${id} (${ctx.agents.find(id)?.name ?? id})`;
  return askFacilitator({
    llm: ctx.llm,
    facilitator,
    context: `Meeting "${meeting.title}" (${run.type.name}). Current topic: ${topicIndex + 1}. ${meeting.agenda[topicIndex]}`,
    transcript: transcriptFor(run, facilitator.prompt.length),
    heard: meeting.participants.map((id) => ({ id, label: label(id), turns: state.heard.get(id) ?? 0 })),
    choices: facilitatorChoices(meeting.participants, state),
    lastSpeaker: state.lastSpeaker,
    fallback: leastHeard(meeting.participants, state),
    lane: run.lane,
    signal: run.signal,
  });
}

/** One persona's turn: prompt from the stored transcript, streamed, stored the moment it ends. */
async function* speak(run: AgendaRun, agentId: string, planned: SpokenKind, topicIndex: number, round: number, answering: string | null = null): AsyncGenerator<CouncilEvent> {
  const { ctx, meeting } = run;
  const role = ctx.agents.get(agentId);
  const messages = buildTurnPrompt({
    role,
    meeting,
    type: run.type,
    agents: ctx.agents,
    topicIndex,
    kind: planned,
    transcript: transcriptFor(run, role.prompt.length),
    carried: run.carried,
    answering,
  });
  yield { type: 'turn_started', agent: role.id, meetingId: meeting.id, topicIndex, round, kind: planned };
  let content = '';
  let stats: CallStats | null = null;
  for await (const chunk of ctx.llm.streamChat({ messages, lane: run.lane, temperature: ctx.agents.temperatureOf(role), kind: 'meeting', signal: run.signal })) {
    if ('token' in chunk) yield { type: 'token', agent: role.id, meetingId: meeting.id, topicIndex, round, kind: planned, text: chunk.token };
    else ({ content, ...stats } = chunk.done);
  }
  const kind: TurnKind = planned === 'contribution' && isPass(content) ? 'pass' : planned;
  const row = await run.store.addTurn({ meetingId: meeting.id, seq: run.seq, topicIndex, round, agentId: role.id, kind, content: content.trim() || 'PASS', stats }, run.runner);
  run.seq++;
  run.turns.push(row);
  metrics.meetingTurns.inc({ type: run.type.id });
  yield { type: 'turn_done', agent: role.id, meetingId: meeting.id, topicIndex, round, kind: kind as Exclude<TurnKind, 'human'>, seq: row.seq, content: row.content, messageId: row.id, stats };
  if (kind === 'topic_summary') yield { type: 'topic_summary', meetingId: meeting.id, topicIndex, topic: meeting.agenda[topicIndex] ?? '', summary: row.content };
}

/**
 * Between turns: stop for a shutdown or a cancel, wait while paused (no model
 * request until resumed), then store people's waiting messages as turns.
 * Returns whether anyone spoke.
 */
async function* checkpoint(run: AgendaRun, topicIndex: number, round: number): AsyncGenerator<CouncilEvent, boolean> {
  const { meeting } = run;
  stopIfAsked(run);
  // Requests arrive with a signal; without one, the row is re-read at least every pollMs in case a signal was lost.
  if (run.checked && run.checked.mark === run.wake.mark && Date.now() - run.checked.at < pollMs) return false;
  run.checked = { mark: run.wake.mark, at: Date.now() };
  let row = await run.store.find(meeting.id);
  if (row?.control === 'cancel') throw new CouncilError('cancelled', 'the meeting was cancelled');
  if (row?.control === 'pause') {
    await run.controls.setHeldStatus(meeting.id, run.runner, 'paused');
    run.paused = true;
    yield { type: 'meeting_paused', meetingId: meeting.id };
    for (;;) {
      const mark = run.wake.mark;
      yield* takeInbox(run, topicIndex, round);
      row = await run.store.find(meeting.id);
      if (row?.control !== 'pause') break;
      await run.wake.wait(pollMs, [run.signal, run.drain], mark);
      stopIfAsked(run);
    }
    if (row?.control === 'cancel') throw new CouncilError('cancelled', 'the meeting was cancelled');
    await run.controls.setHeldStatus(meeting.id, run.runner, 'running');
    run.paused = false;
    yield { type: 'meeting_resumed', meetingId: meeting.id };
  }
  return (yield* takeInbox(run, topicIndex, round)) > 0;
}

function stopIfAsked(run: AgendaRun): void {
  if (run.drain?.aborted) throw new CouncilError('cancelled', shutdownMessage);
  if (run.signal.aborted) throw new CouncilError('cancelled', 'the meeting was cancelled');
}

async function* takeInbox(run: AgendaRun, topicIndex: number, round: number): AsyncGenerator<CouncilEvent, number> {
  const stored = await run.inbox.drain(run.meeting.id, run.seq, topicIndex, round, run.runner);
  for (const turn of stored) {
    run.seq = turn.seq + 1;
    run.turns.push(turn);
    yield { type: 'human_turn', meetingId: run.meeting.id, topicIndex, seq: turn.seq, speakerId: turn.speakerId ?? '', speakerName: turn.speakerName ?? '', content: turn.content, externalId: turn.externalId };
  }
  return stored.length;
}

/** After the facilitator asked the people: wait until someone answers, the meeting is paused or cancelled, or the wait runs out. */
async function* waitForPeople(run: AgendaRun, topicIndex: number): AsyncGenerator<CouncilEvent> {
  const waitMs = run.ctx.config.MEETING_HUMAN_WAIT_MS;
  yield { type: 'waiting_for_people', meetingId: run.meeting.id, topicIndex, waitMs };
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    stopIfAsked(run);
    const mark = run.wake.mark;
    if ((await run.inbox.pendingCount(run.meeting.id)) > 0) return;
    const row = await run.store.find(run.meeting.id);
    if (row?.control) return;
    await run.wake.wait(Math.min(pollMs, deadline - Date.now()), [run.signal, run.drain], mark);
  }
}
