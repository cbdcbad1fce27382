import { z } from 'zod';
import { toolCallRecordSchema } from '../eventSchema.js';
import { placeSettingsSchema, settingScopes } from '../settings/settingsSchema.js';

const timestamp = z.coerce.date();
const optionalTimestamp = timestamp.nullable().optional();
const text = z.string().nullable();
const optionalText = text.optional();
const turns = z.array(z.number().int()).optional();
const count = z.number().int().nullable();
/** What a model call records on the message or turn it produced. */
const callStats = { model: text, promptTokens: count, completionTokens: count, durationMs: count, ttftMs: count };
/** The tools a reply or turn called (absent in files written before tools). */
const toolCalls = z.array(toolCallRecordSchema).nullable().optional();

/**
 * One line of the NDJSON backup, one per stored row of user data. `v` lets a
 * later version read an older file: v1 files (conversations, messages and
 * memories without scope columns) still import.
 */
export const backupRecord = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('conversation'),
    v: z.union([z.literal(1), z.literal(2)]),
    id: z.uuid(),
    agentId: z.string().min(1),
    scope: z.string().min(1),
    userId: text,
    ownerId: optionalText,
    guildId: optionalText,
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  z.object({
    type: z.literal('message'),
    v: z.union([z.literal(1), z.literal(2)]),
    id: z.uuid(),
    conversationId: z.uuid(),
    role: z.enum(['user', 'assistant', 'summary']),
    content: z.string(),
    authorId: text,
    authorName: text,
    externalId: text,
    externalParts: z.array(z.string()).nullable().optional(),
    attachments: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/), kind: z.enum(['text', 'pdf', 'image']) })).nullable().optional(),
    backend: text,
    ...callStats,
    toolCalls,
    createdAt: timestamp,
    /** A reply someone deleted where it was shown (absent in files written before: not deleted). */
    deletedAt: optionalTimestamp,
  }),
  z.object({
    type: z.literal('memory'),
    v: z.union([z.literal(1), z.literal(2)]),
    id: z.uuid(),
    agentId: z.string().min(1),
    subject: text,
    userId: text,
    ownerId: optionalText,
    guildId: optionalText,
    placeId: optionalText,
    visibility: z.enum(['owner', 'place', 'guild', 'everyone']).optional(),
    source: optionalText,
    contentHash: optionalText,
    kind: z.enum(['fact', 'preference', 'summary', 'decision', 'note', 'person', 'reference']),
    content: z.string(),
    embedding: z.array(z.number()).nullable(),
    embeddingModel: text,
    importance: z.number(),
    accessCount: z.number().int(),
    createdAt: timestamp,
    lastAccessedAt: timestamp,
    // Validity and provenance (absent in files written before them: a memory then is current, seen once).
    validFrom: optionalTimestamp,
    validTo: optionalTimestamp,
    supersededBy: z.uuid().nullable().optional(),
    sourceMessageId: z.uuid().nullable().optional(),
    expiresAt: optionalTimestamp,
    seenCount: z.number().int().min(1).optional(),
    lastSeenAt: optionalTimestamp,
  }),
  z.object({
    type: z.literal('message_memory'),
    v: z.literal(2),
    messageId: z.uuid(),
    memoryId: z.uuid(),
    rank: z.number().int(),
  }),
  z.object({
    type: z.literal('meeting'),
    v: z.literal(2),
    id: z.uuid(),
    meetingType: z.string().min(1),
    title: z.string(),
    description: text,
    status: z.enum(['pending', 'running', 'paused', 'completed', 'cancelled', 'interrupted', 'failed']),
    facilitator: z.string().min(1),
    participants: z.array(z.string()),
    agenda: z.array(z.string()),
    /** Missing in files exported before meetings chose models per attendee or independent positions. */
    models: z.record(z.string(), z.string().min(1).max(200)).default({}),
    independent: z.boolean().nullable().default(null),
    /** The tools its turns may call, pinned when the terminal user allowed them (missing in files exported before: none). */
    tools: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}\.[^\s@]{1,100}@[0-9a-f]{64}$/i, 'must be tools pinned as <server>.<tool>@<sha256>')).max(64).default([]),
    requestedBy: text,
    ownerId: text,
    guildId: text,
    discordChannelId: text,
    discordThreadId: text,
    minutes: z.unknown(),
    error: text,
    attempts: z.number().int(),
    createdAt: timestamp,
    startedAt: optionalTimestamp,
    endedAt: optionalTimestamp,
  }),
  z.object({
    type: z.literal('meeting_turn'),
    v: z.literal(2),
    id: z.uuid(),
    meetingId: z.uuid(),
    seq: z.number().int(),
    topicIndex: z.number().int(),
    round: z.number().int(),
    agentId: text,
    speakerId: text,
    speakerName: text,
    kind: z.enum(['opening', 'position', 'dissent', 'contribution', 'pass', 'topic_summary', 'human', 'question']),
    content: z.string(),
    externalId: text,
    ...callStats,
    toolCalls,
    createdAt: timestamp,
  }),
  z.object({
    type: z.literal('meeting_topic'),
    v: z.literal(2),
    meetingId: z.uuid(),
    topicIndex: z.number().int(),
    closedBy: z.enum(['facilitator', 'passes', 'budget', 'humans']),
    reason: text,
    closedAt: timestamp,
  }),
  z.object({
    type: z.literal('meeting_inbox'),
    v: z.literal(2),
    id: z.uuid(),
    meetingId: z.uuid(),
    speakerId: z.string(),
    speakerName: z.string(),
    text: z.string(),
    externalId: text,
    createdAt: timestamp,
    turnSeq: z.number().int().nullable(),
  }),
  z.object({
    type: z.literal('decision'),
    v: z.literal(2),
    id: z.uuid(),
    meetingId: z.uuid(),
    text: z.string(),
    rationale: text,
    sourceTurns: turns,
    createdAt: timestamp,
  }),
  z.object({
    type: z.literal('action_item'),
    v: z.literal(2),
    id: z.uuid(),
    meetingId: z.uuid(),
    owner: z.string().min(1),
    ownerKind: z.enum(['agent', 'human']),
    ownerName: text,
    task: z.string(),
    due: text,
    status: z.enum(['open', 'done']),
    sourceTurns: turns,
    doneAt: optionalTimestamp,
    doneBy: text,
    createdAt: timestamp,
  }),
  z.object({
    type: z.literal('setting'),
    v: z.literal(2),
    scope: z.enum(settingScopes),
    placeId: z.string().min(1).max(40),
    guildId: text,
    parentId: text,
    values: placeSettingsSchema,
    updatedBy: z.string().min(1),
    updatedAt: timestamp,
  }),
]);

export type BackupRecord = z.infer<typeof backupRecord>;
export type RecordOf<T extends BackupRecord['type']> = Extract<BackupRecord, { type: T }>;
