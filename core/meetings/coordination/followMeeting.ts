import type { AgentRegistry } from '../../agents/agentRegistry.js';
import type { CouncilEvent } from '../../events.js';
import { getMeetingType } from '../catalogue.js';
import type { MeetingSignals } from './meetingSignals.js';
import type { MeetingRow, MeetingStore, TurnRow } from '../store/meetingStore.js';
import type { Minutes } from '../engine/minutesSchema.js';
import { renderMinutesMarkdown } from '../engine/renderMinutesMarkdown.js';
import type { TopicStore } from '../store/topicStore.js';
import { Wake } from './wake.js';

const ended = new Set(['completed', 'cancelled', 'failed']);

export interface FollowDeps {
  store: MeetingStore;
  topics: TopicStore;
  signals: MeetingSignals;
  agents: AgentRegistry;
  /** A follower re-reads the stored meeting at least this often, so a lost signal only delays an event. */
  pollMs: number;
}

/**
 * A stored turn as the events the runner yielded when it was written: the
 * same vocabulary live and replayed. Its tool calls come first, as they did
 * live; only their output is not kept (its size and hash are).
 */
export function turnEvents(meetingId: string, turn: TurnRow): CouncilEvent[] {
  const { kind } = turn;
  if (kind === 'human') return [turnEvent(meetingId, turn)];
  const calls: CouncilEvent[] = (turn.toolCalls ?? []).map((call) => ({
    type: 'tool_call',
    agent: turn.agentId ?? '',
    meetingId,
    topicIndex: turn.topicIndex,
    round: turn.round,
    kind,
    ...call,
    output: null,
  }));
  return [...calls, turnEvent(meetingId, turn)];
}

function turnEvent(meetingId: string, turn: TurnRow): CouncilEvent {
  if (turn.kind === 'human') {
    return { type: 'human_turn', meetingId, topicIndex: turn.topicIndex, seq: turn.seq, speakerId: turn.speakerId ?? '', speakerName: turn.speakerName ?? turn.speakerId ?? '', content: turn.content, externalId: turn.externalId };
  }
  const stats = turn.model ? { model: turn.model, promptTokens: turn.promptTokens, completionTokens: turn.completionTokens, durationMs: turn.durationMs ?? 0, ttftMs: turn.ttftMs } : null;
  return { type: 'turn_done', agent: turn.agentId ?? '', meetingId, topicIndex: turn.topicIndex, round: turn.round, kind: turn.kind, seq: turn.seq, content: turn.content, messageId: turn.id, stats };
}

/**
 * A meeting as a stream of events, from what is stored, on any process: the
 * turns after `afterSeq` (a turn's event carries its seq, so a follower resumes
 * exactly after the last one it saw), each topic's close, pause and resume, the
 * minutes, and the end. It waits on the meeting's signals between reads; the
 * caller's `signal` ends it.
 */
export async function* followMeeting(deps: FollowDeps, first: MeetingRow, afterSeq: number, signal: AbortSignal): AsyncGenerator<CouncilEvent> {
  const meetingId = first.id;
  const wake = new Wake(deps.signals, meetingId);
  let row: MeetingRow | undefined = first;
  let seq = afterSeq;
  let status = first.status;
  const closed = new Set<number>();
  try {
    for (;;) {
      const mark = wake.mark;
      for (const turn of await deps.store.turnsAfter(meetingId, seq)) {
        yield* turnEvents(meetingId, turn);
        seq = turn.seq;
      }
      for (const topic of await deps.topics.list(meetingId)) {
        if (closed.has(topic.topicIndex)) continue;
        closed.add(topic.topicIndex);
        yield { type: 'topic_closed', meetingId, topicIndex: topic.topicIndex, closedBy: topic.closedBy, reason: topic.reason ?? '' };
      }
      if (row.status !== status) {
        if (row.status === 'paused') yield { type: 'meeting_paused', meetingId };
        else if (status === 'paused' && row.status === 'running') yield { type: 'meeting_resumed', meetingId };
        status = row.status;
      }
      if (ended.has(row.status)) break;
      if (signal.aborted) return;
      await wake.wait(deps.pollMs, [signal], mark);
      if (signal.aborted) return;
      row = await deps.store.find(meetingId);
      if (!row) return;
    }
    const minutes = row.minutes as Minutes | null;
    if (row.status === 'completed' && minutes) yield { type: 'minutes', meetingId, minutes, markdown: await markdownOf(deps, row, minutes) };
    const done = row.status as 'completed' | 'cancelled' | 'failed';
    yield { type: 'meeting_ended', meetingId, status: done, ...(row.error ? { error: row.error } : {}) };
  } finally {
    wake.close();
  }
}

async function markdownOf(deps: FollowDeps, row: MeetingRow, minutes: Minutes): Promise<string> {
  const turns = await deps.store.turns(row.id);
  const people = new Map(turns.filter((t) => t.kind === 'human' && t.speakerId).map((t) => [t.speakerId!, t.speakerName ?? t.speakerId!]));
  const attendees = [row.facilitator, ...row.participants];
  const names = Object.fromEntries([...attendees.map((id) => [id, deps.agents.find(id)?.name ?? id]), ...people.entries()]);
  const topics = (await deps.topics.list(row.id)).map((t) => ({ topic: row.agenda[t.topicIndex] ?? '', closedBy: t.closedBy, reason: t.reason }));
  const typeName = getMeetingType(row.type).name;
  return renderMinutesMarkdown({ title: row.title, typeName, date: row.endedAt ?? new Date(), participants: attendees, people: [...people.keys()], minutes, agentNames: names, topics });
}
