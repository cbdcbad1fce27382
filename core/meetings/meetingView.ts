import type { MeetingRow, TurnRow } from './meetingStore.js';
import type { Minutes } from './minutesSchema.js';

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
    requestedBy: row.requestedBy,
    discordChannelId: row.discordChannelId,
    discordThreadId: row.discordThreadId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    error: row.error,
  };
}

export function toMeetingView(row: MeetingRow, turns: TurnRow[]) {
  return {
    ...toMeetingSummary(row),
    turns: turns.map((turn) => ({
      seq: turn.seq,
      topic: row.agenda[turn.topicIndex] ?? '',
      topicIndex: turn.topicIndex,
      agent: turn.agentId,
      speaker: turn.speakerName,
      round: turn.round,
      kind: turn.kind,
      content: turn.content,
      externalId: turn.externalId,
    })),
    minutes: (row.minutes as Minutes | null) ?? null,
  };
}
