import type { z } from 'zod';
import type { callStatsSchema, councilEventSchema, storedMinutesSchema } from './eventSchema.js';

/**
 * What the orchestrator yields. Every face renders these and nothing else, so a
 * chat, a consult and a meeting look the same to the bot, the CLI and SSE.
 * The shapes are declared once, as schemas, in core/eventSchema.ts.
 */
export type CallStats = z.infer<typeof callStatsSchema>;

export type CouncilEvent = z.infer<typeof councilEventSchema>;

export type StoredMinutes = z.infer<typeof storedMinutesSchema>;

/** The meeting-only events: everything but a turn's stream and the error frame. */
export type MeetingEvent = Exclude<CouncilEvent, { type: 'turn_started' | 'token' | 'turn_done' | 'error' }>;

/** Where a turn belongs: the fields every turn event carries. */
export type TurnRef = Pick<Extract<CouncilEvent, { type: 'turn_started' }>, 'agent' | 'meetingId' | 'topicIndex' | 'round' | 'kind' | 'seq'>;
