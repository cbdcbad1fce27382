import type { MeetingRow, TurnRow } from './store/meetingStore.js';
import type { TopicRow } from './store/topicStore.js';
import type { StoredMinutes } from '../events.js';
import { parseToolEntry } from '../tools/toolPolicy.js';

export type MeetingSummary = ReturnType<typeof toMeetingSummary>;
export type MeetingView = ReturnType<typeof toMeetingView>;

/** A meeting as faces show it (DESIGN.md's meeting JSON), without turns. */
export function toMeetingSummary(row: MeetingRow) {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    description: row.description,
    status: row.status,
    facilitator: row.facilitator,
    participants: row.participants,
    agenda: row.agenda,
    /** The model chosen per attendee for this meeting (others speak with their role's model, else MODEL_NAME). */
    models: row.models,
    /** Topics open with independent positions (null: decided by the type, for meetings made before this was stored). */
    independent: row.independent,
    /** The tools the terminal user allowed it at start (`council meeting start --tools`); a place's or a key's are read when it runs. */
    tools: row.tools.map((entry) => parseToolEntry(entry).name),
    requestedBy: row.requestedBy,
    discordChannelId: row.discordChannelId,
    discordThreadId: row.discordThreadId,
    ownerId: row.ownerId,
    guildId: row.guildId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    error: row.error,
    /** Automatic resumes tried since the last progress, and when the next may start (core/meetings/coordination/resumeBackoff.ts). */
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
  };
}

/** With its turns (people's included), how each topic ended, and the minutes. */
export function toMeetingView(row: MeetingRow, turns: TurnRow[], topics: TopicRow[] = []) {
  return {
    ...toMeetingSummary(row),
    turns: turns.map((turn) => ({
      seq: turn.seq,
      topic: row.agenda[turn.topicIndex] ?? '',
      topicIndex: turn.topicIndex,
      agent: turn.agentId,
      speaker: turn.speakerName,
      speakerId: turn.speakerId,
      round: turn.round,
      kind: turn.kind,
      content: turn.content,
      /** The model that produced a colleague's turn (null for people). */
      model: turn.model,
      externalId: turn.externalId,
      // The tools a turn called, when it called any.
      ...(turn.toolCalls?.length ? { toolCalls: turn.toolCalls } : {}),
    })),
    topics: topics.map((t) => ({ topicIndex: t.topicIndex, topic: row.agenda[t.topicIndex] ?? '', closedBy: t.closedBy, reason: t.reason })),
    minutes: (row.minutes as StoredMinutes | null) ?? null,
  };
}
