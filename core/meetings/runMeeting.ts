import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { CouncilError, toCouncilError } from '../errors.js';
import type { CallStats, CouncilEvent } from '../events.js';
import { metrics } from '../metrics.js';
import { memoryScopeForMeeting } from '../memory/scope.js';
import type { CouncilContext } from '../orchestrator/context.js';
import { buildTurnPrompt, isPass } from './buildTurnPrompt.js';
import { getMeetingType } from './catalogue.js';
import { generateMinutes } from './generateMinutes.js';
import type { MeetingStore, TurnKind, TurnRow } from './meetingStore.js';
import { renderMinutesMarkdown } from './renderMinutes.js';
import { buildTranscript } from './transcript.js';

/** This process, as recorded on the meetings it runs. */
export const runnerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Abort a meeting's signal with this reason to stop it resumable (a process shutting down), not cancelled. */
export const meetingShutdown = 'council:shutdown';

const heartbeatMs = 30_000;
const replyReserveTokens = 1024;

interface Slot {
  topicIndex: number;
  round: number;
  agentId: string;
  kind: 'opening' | 'contribution' | 'topic_summary';
}

const slotKey = (topicIndex: number, round: number, agentId: string | null, kind: TurnKind) =>
  `${topicIndex}:${round}:${agentId}:${kind === 'pass' ? 'contribution' : kind}`;

/**
 * Runs a pending meeting, or resumes an interrupted one from its last stored
 * turn. The schedule is deterministic, so a resumed meeting skips exactly the
 * turns already stored.
 */
export interface RunOptions {
  /** Cancels at once: the model call in flight stops (reason meetingShutdown: the meeting stays resumable). */
  signal?: AbortSignal;
  /** Stops before the next turn, after the one in flight is stored: a graceful shutdown. The meeting stays resumable. */
  drain?: AbortSignal;
}

export async function* runMeeting(ctx: CouncilContext, store: MeetingStore, meetingId: string, options: RunOptions = {}): AsyncGenerator<CouncilEvent> {
  const { signal, drain } = options;
  const meeting = await store.find(meetingId);
  if (!meeting) throw new CouncilError('unknown_meeting', `unknown meeting "${meetingId}"; council meeting list shows them`);
  if (!['pending', 'interrupted'].includes(meeting.status)) {
    throw new CouncilError('meeting_not_resumable', `meeting ${meetingId} is ${meeting.status}; only pending or interrupted meetings can run`);
  }
  if (meeting.agenda.length === 0) throw new CouncilError('no_topic', 'the meeting has no topic; give at least one (--topic "...")');
  const type = getMeetingType(meeting.type);
  const resumed = meeting.status === 'interrupted';
  const turns = await store.turns(meetingId);
  const done = new Set(turns.map((t) => slotKey(t.topicIndex, t.round, t.agentId, t.kind)));
  let seq = (turns.at(-1)?.seq ?? 0) + 1;
  const lane = `meeting:${meetingId}`;

  await store.update(meetingId, { status: 'running', error: null, runnerId, heartbeatAt: sql`now()` as never, ...(meeting.startedAt ? {} : { startedAt: sql`now()` as never }) });
  const beat = setInterval(() => void store.heartbeat(meetingId, runnerId).catch(() => {}), heartbeatMs);
  beat.unref();
  metrics.meetingsRunning.inc();
  const attendees = [meeting.facilitator, ...meeting.participants];
  yield { type: 'meeting_started', meetingId, meetingType: type.id, title: meeting.title, facilitator: meeting.facilitator, participants: meeting.participants, agenda: meeting.agenda, resumed };

  try {
    for (const [topicIndex, topic] of meeting.agenda.entries()) {
      yield { type: 'topic_started', meetingId, topicIndex, topic };
      for (const slot of schedule(topicIndex, type.roundsPerTopic, meeting.facilitator, meeting.participants, turns)) {
        if (done.has(slotKey(slot.topicIndex, slot.round, slot.agentId, slot.kind))) continue;
        if (drain?.aborted) throw new CouncilError('cancelled', 'the process is shutting down; the meeting will resume from here');
        const role = ctx.agents.get(slot.agentId);
        const budget = ctx.config.CONTEXT_TOKENS - replyReserveTokens - Math.ceil(role.prompt.length / 4) - 400;
        const messages = buildTurnPrompt({ role, meeting, type, agents: ctx.agents, topicIndex, kind: slot.kind, transcript: buildTranscript(turns, meeting.agenda, ctx.agents, Math.max(256, budget)) });
        yield { type: 'turn_started', agent: role.id, meetingId, topicIndex, round: slot.round, kind: slot.kind };
        let content = '';
        let stats: CallStats | null = null;
        for await (const chunk of ctx.llm.streamChat({ messages, lane, temperature: ctx.agents.temperatureOf(role), kind: 'meeting', ...(signal ? { signal } : {}) })) {
          if ('token' in chunk) yield { type: 'token', agent: role.id, meetingId, topicIndex, round: slot.round, kind: slot.kind, text: chunk.token };
          else ({ content, ...stats } = chunk.done);
        }
        const kind: TurnKind = slot.kind === 'contribution' && isPass(content) ? 'pass' : slot.kind;
        const row = await store.addTurn({ meetingId, seq: seq++, topicIndex, round: slot.round, agentId: role.id, kind, content: content.trim() || 'PASS', stats });
        turns.push(row);
        done.add(slotKey(topicIndex, slot.round, role.id, kind));
        metrics.meetingTurns.inc({ type: type.id });
        await store.heartbeat(meetingId, runnerId);
        yield { type: 'turn_done', agent: role.id, meetingId, topicIndex, round: slot.round, kind, content: row.content, messageId: row.id, stats };
        if (kind === 'topic_summary') yield { type: 'topic_summary', meetingId, topicIndex, topic, summary: row.content };
      }
    }
    const minutes = await generateMinutes({
      llm: ctx.llm,
      type,
      title: meeting.title,
      attendees,
      transcript: buildTranscript(turns, meeting.agenda, ctx.agents, Math.max(512, ctx.config.CONTEXT_TOKENS - replyReserveTokens - 600)),
      lane,
      ...(signal ? { signal } : {}),
    });
    await store.complete(meetingId, minutes);
    for (const decision of minutes.decisions) {
      for (const agentId of attendees) {
        await ctx.memories.add({ agentId, kind: 'decision', importance: 0.9, scope: memoryScopeForMeeting(meeting), subject: meeting.title, content: `Decided in "${meeting.title}" (${type.name}): ${decision.decision}${decision.rationale ? `, because ${decision.rationale}` : ''}` });
      }
    }
    const agentNames = Object.fromEntries(attendees.map((id) => [id, ctx.agents.get(id).name]));
    const markdown = renderMinutesMarkdown({ title: meeting.title, typeName: type.name, date: new Date(), participants: attendees, minutes, agentNames });
    yield { type: 'minutes', meetingId, minutes, markdown };
    metrics.meetings.inc({ type: type.id, outcome: 'completed' });
    yield { type: 'meeting_ended', meetingId, status: 'completed' };
  } catch (error) {
    const failure = toCouncilError(error);
    const shutdown = Boolean((signal?.aborted && signal.reason === meetingShutdown) || drain?.aborted);
    const status = shutdown ? 'interrupted' : failure.code === 'cancelled' || signal?.aborted ? 'cancelled' : failure.code === 'bad_structured_output' ? 'failed' : 'interrupted';
    await store.update(meetingId, { status, error: failure.message, endedAt: status === 'interrupted' ? null : (sql`now()` as never) }).catch(() => {});
    metrics.meetings.inc({ type: type.id, outcome: status });
    if (status !== 'cancelled' && !shutdown) yield { type: 'error', meetingId, code: failure.code, message: failure.message };
    yield { type: 'meeting_ended', meetingId, status, error: failure.message };
  } finally {
    clearInterval(beat);
    metrics.meetingsRunning.dec();
  }
}

/**
 * The turns of one topic in order: the facilitator opens, participants speak
 * round by round, the facilitator closes with a summary. A round in which
 * everyone passed ends the discussion early.
 */
function* schedule(topicIndex: number, rounds: number, facilitator: string, participants: string[], turns: TurnRow[]): Generator<Slot> {
  yield { topicIndex, round: 0, agentId: facilitator, kind: 'opening' };
  for (let round = 1; round <= rounds; round++) {
    for (const agentId of participants) yield { topicIndex, round, agentId, kind: 'contribution' };
    const spoken = turns.filter((t) => t.topicIndex === topicIndex && t.round === round);
    if (round < rounds && spoken.length === participants.length && spoken.every((t) => t.kind === 'pass')) break;
  }
  yield { topicIndex, round: rounds + 1, agentId: facilitator, kind: 'topic_summary' };
}
