/**
 * What the orchestrator yields. Every face renders these and nothing else, so a
 * chat, a consult and a meeting look the same to the bot, the CLI and SSE.
 */
export interface CallStats {
  model: string;
  backend: string;
  promptTokens: number | null;
  completionTokens: number | null;
  durationMs: number;
  ttftMs: number | null;
}

export interface TurnRef {
  agent: string;
  /** Set for meeting turns. */
  meetingId?: string;
  topicIndex?: number;
  round?: number;
  kind?: 'reply' | 'opening' | 'contribution' | 'pass' | 'topic_summary' | 'closing' | 'question';
  /** A stored meeting turn's number (turn_done only): what minutes cite and SSE replays from. */
  seq?: number;
}

export type CouncilEvent =
  | ({ type: 'turn_started' } & TurnRef)
  | ({ type: 'token'; text: string } & TurnRef)
  | ({ type: 'turn_done'; content: string; messageId: string | null; stats: CallStats | null } & TurnRef)
  | { type: 'error'; agent?: string; meetingId?: string; code: string; message: string }
  | MeetingEvent;

export type MeetingEvent =
  | {
      type: 'meeting_started';
      meetingId: string;
      meetingType: string;
      title: string;
      facilitator: string;
      participants: string[];
      agenda: string[];
      resumed: boolean;
    }
  | { type: 'topic_started'; meetingId: string; topicIndex: number; topic: string }
  | { type: 'topic_summary'; meetingId: string; topicIndex: number; topic: string; summary: string }
  | { type: 'minutes'; meetingId: string; minutes: unknown; markdown: string }
  /** A person's message, stored as a turn of kind `human`. */
  | { type: 'human_turn'; meetingId: string; topicIndex: number; seq: number; speakerId: string; speakerName: string; content: string; externalId: string | null }
  /** Who speaks next and why; `fallback` names why the model's pick was replaced by the deterministic rule. */
  | { type: 'next_speaker'; meetingId: string; topicIndex: number; next: string; reason: string; source: 'model' | 'fallback' | 'addressed'; fallback?: string }
  | { type: 'topic_closed'; meetingId: string; topicIndex: number; closedBy: 'facilitator' | 'passes' | 'budget' | 'humans'; reason: string }
  /** The facilitator asked the people a question and waits for an answer (up to `waitMs`). */
  | { type: 'waiting_for_people'; meetingId: string; topicIndex: number; waitMs: number }
  | { type: 'meeting_paused'; meetingId: string }
  | { type: 'meeting_resumed'; meetingId: string }
  /** `paused`: the process shut down while the meeting waited paused; it stays paused. */
  | { type: 'meeting_ended'; meetingId: string; status: 'completed' | 'cancelled' | 'interrupted' | 'failed' | 'paused'; error?: string };
