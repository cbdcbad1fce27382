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
  kind?: 'reply' | 'opening' | 'contribution' | 'pass' | 'topic_summary' | 'closing';
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
  | { type: 'meeting_ended'; meetingId: string; status: 'completed' | 'cancelled' | 'interrupted' | 'failed'; error?: string };
