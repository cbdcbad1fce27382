import { z } from 'zod';
import { toolApprovals, toolCallOutcomes } from './tools/toolCallRecord.js';

/**
 * The one vocabulary of every stream (chat and meeting SSE, the CLI's NDJSON,
 * the bot): each event's shape is declared here once; core/events.ts takes its
 * types from it and control/routes/openapi.ts its documentation, and the
 * contract test parses every frame a stream emits against it.
 */
export const callStatsSchema = z.object({
  model: z.string(),
  /** Which backend answered: kept in logs, /admin and the CLI; /v1 replies leave it out. */
  backend: z.string().optional(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  durationMs: z.number(),
  ttftMs: z.number().nullable(),
});

export const turnKinds = ['reply', 'opening', 'position', 'dissent', 'contribution', 'pass', 'topic_summary', 'question'] as const;

const turnRef = {
  agent: z.string(),
  /** Set for meeting turns. */
  meetingId: z.string().optional(),
  topicIndex: z.number().int().optional(),
  round: z.number().int().optional(),
  kind: z.enum(turnKinds).optional(),
  /** A stored meeting turn's number (turn_done only): what minutes cite and SSE replays from. */
  seq: z.number().int().optional(),
};

/** Minutes as stored and streamed: the model's schema (core/meetings/engine/minutesSchema.ts) with owners already checked. */
export const storedMinutesSchema = z.object({
  summary: z.string(),
  decisions: z.array(z.object({ decision: z.string(), rationale: z.string(), source_turns: z.array(z.number().int()), supporters: z.array(z.string()).optional() })),
  action_items: z.array(z.object({ owner: z.string(), task: z.string(), due: z.string().optional(), source_turns: z.array(z.number().int()) })),
  open_questions: z.array(z.string()),
  dissent: z.array(z.object({ who: z.string(), on: z.string(), source_turns: z.array(z.number().int()) })).optional(),
  risks: z.array(z.object({ risk: z.string(), mitigation: z.string().optional() })),
  sections: z.record(z.string(), z.string()),
  /** People's posts that arrived after the minutes were written: turns of the record, listed rather than lost. */
  after_meeting: z.array(z.object({ seq: z.number().int(), speaker: z.string(), text: z.string() })).optional(),
  /** The models each colleague's stored turns were answered by (a fallback to MODEL_NAME included), by colleague id. */
  models: z.record(z.string(), z.array(z.string())).optional(),
});

const meetingId = z.string();
const topicIndex = z.number().int();

export const meetingEventSchemas = [
  z.object({
    type: z.literal('meeting_started'),
    meetingId,
    meetingType: z.string(),
    title: z.string(),
    facilitator: z.string(),
    participants: z.array(z.string()),
    agenda: z.array(z.string()),
    resumed: z.boolean(),
  }),
  z.object({ type: z.literal('topic_started'), meetingId, topicIndex, topic: z.string() }),
  z.object({ type: z.literal('topic_summary'), meetingId, topicIndex, topic: z.string(), summary: z.string() }),
  z.object({ type: z.literal('minutes'), meetingId, minutes: storedMinutesSchema, markdown: z.string() }),
  /** A person's message, stored as a turn of kind `human`. */
  z.object({ type: z.literal('human_turn'), meetingId, topicIndex, seq: z.number().int(), speakerId: z.string(), speakerName: z.string(), content: z.string(), externalId: z.string().nullable() }),
  /** Who speaks next and why; `fallback` names why the model's pick was replaced by the deterministic rule. */
  z.object({
    type: z.literal('next_speaker'),
    meetingId,
    topicIndex,
    next: z.string(),
    reason: z.string(),
    /** `rule`: decided without a facilitator call (the first view, the last one not yet heard). */
    source: z.enum(['model', 'fallback', 'addressed', 'rule']),
    fallback: z.string().optional(),
  }),
  z.object({
    type: z.literal('topic_closed'),
    meetingId,
    topicIndex,
    closedBy: z.enum(['facilitator', 'passes', 'budget', 'humans']),
    reason: z.string(),
    /** Participants who had the floor on the topic, and those never heard with why. */
    spoke: z.array(z.string()).optional(),
    unheard: z.array(z.object({ id: z.string(), why: z.string() })).optional(),
  }),
  /** The facilitator asked the people a question and waits for an answer (up to `waitMs`). */
  z.object({ type: z.literal('waiting_for_people'), meetingId, topicIndex, waitMs: z.number() }),
  z.object({ type: z.literal('meeting_paused'), meetingId }),
  z.object({ type: z.literal('meeting_resumed'), meetingId }),
  /** `paused`: the process shut down while the meeting waited paused; it stays paused. */
  z.object({ type: z.literal('meeting_ended'), meetingId, status: z.enum(['completed', 'cancelled', 'interrupted', 'failed', 'paused']), error: z.string().optional() }),
] as const;

/** A tool call as stored on a message or turn: never its output, only size and digest. */
export const toolCallRecordSchema = z.object({
  tool: z.string(),
  arguments: z.unknown(),
  outcome: z.enum(toolCallOutcomes),
  approval: z.enum(toolApprovals).nullable(),
  durationMs: z.number(),
  outputChars: z.number().int(),
  outputSha256: z.string().nullable(),
});

export const councilEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('turn_started'), ...turnRef }),
  z.object({ type: z.literal('token'), text: z.string(), ...turnRef }),
  z.object({ type: z.literal('turn_done'), content: z.string(), messageId: z.string().nullable(), stats: callStatsSchema.nullable(), ...turnRef }),
  /** A colleague called a tool while answering: one per call, as it ended; `output` is what the tool said (capped, untrusted), shown and never stored. */
  z.object({ type: z.literal('tool_call'), ...turnRef, ...toolCallRecordSchema.shape, output: z.string().nullable() }),
  /** The one error frame of every stream: what failed, as a code and a plain sentence. */
  z.object({ type: z.literal('error'), agent: z.string().optional(), meetingId: z.string().optional(), code: z.string(), message: z.string() }),
  ...meetingEventSchemas,
]);
