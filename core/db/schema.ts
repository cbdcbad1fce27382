import { sql } from 'drizzle-orm';
import type { AttachmentRef } from '../attachments/attachmentTypes.js';
import type { ToolCallRecord } from '../tools/toolCallRecord.js';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Synced from roles/*.md at start; the files are the truth, this table lets SQL join on agents. */
export const agents = pgTable('agents', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  title: text('title').notNull(),
  category: text('category').notNull(),
  expertise: jsonb('expertise').$type<string[]>().notNull(),
  temperature: real('temperature'),
  avatar: text('avatar'),
  promptHash: text('prompt_hash').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One agent talking in one scope: a Discord channel+user, a thread, a CLI session, an API session. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agentId: text('agent_id').notNull(),
    scope: text('scope').notNull(),
    userId: text('user_id'),
    /** Who the conversation belongs to (see core/memory/scope.ts): `discord:<user>`, `key:<id>`, `cli:<name>`. */
    ownerId: text('owner_id'),
    /** The Discord server it lives in; null outside Discord. */
    guildId: text('guild_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_agent_scope').on(t.agentId, t.scope),
    index('conversations_user').on(t.userId),
    index('conversations_owner').on(t.ownerId),
    index('conversations_guild').on(t.guildId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role').$type<'user' | 'assistant' | 'summary'>().notNull(),
    content: text('content').notNull(),
    authorId: text('author_id'),
    authorName: text('author_name'),
    externalId: text('external_id'),
    /** The platform ids of the later messages of a reply split over several (Discord's 2,000 characters); `externalId` is the first. */
    externalParts: text('external_parts').array(),
    /** Files shared with a person's message, as references (name, size, sha256); their text is never stored. */
    attachments: jsonb('attachments').$type<AttachmentRef[]>(),
    /** The tools a reply called, in order (name, arguments, outcome, duration, output size); never their output. */
    toolCalls: jsonb('tool_calls').$type<ToolCallRecord[]>(),
    model: text('model'),
    backend: text('backend'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    durationMs: integer('duration_ms'),
    ttftMs: integer('ttft_ms'),
    createdAt: createdAt(),
    /** Someone deleted the reply where it was shown (a moderator, in Discord): kept, never history again. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('messages_conversation_created').on(t.conversationId, t.createdAt),
    index('messages_external').on(t.externalId),
    index('messages_external_parts').using('gin', t.externalParts).where(sql`external_parts is not null`),
    index('messages_author').on(t.authorId),
  ],
);

/**
 * Long-term memories. The embedding is a plain real[] so the one schema runs on
 * any Postgres; where pgvector exists an HNSW index over the cast to vector(n)
 * is added at start (see core/db/vectorSupport.ts). `search` backs the
 * full-text fallback.
 */
export const memories = pgTable(
  'memories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agentId: text('agent_id').notNull(),
    subject: text('subject'),
    userId: text('user_id'),
    /** Who wrote it and may always recall it: `discord:<user>`, `key:<id>`, `cli:<name>`, `admin`; see core/memory/scope.ts. */
    ownerId: text('owner_id'),
    /** Discord server, and channel or thread, it was written in; null outside Discord. */
    guildId: text('guild_id'),
    placeId: text('place_id'),
    visibility: text('visibility').$type<MemoryVisibility>().notNull().default('owner'),
    /** A short label shown with the memory in prompts ("Ana in #general", "meeting Billing v2"). */
    source: text('source'),
    /** sha256 of the content: identical memories in one scope are one row. */
    contentHash: text('content_hash'),
    kind: text('kind').$type<MemoryKind>().notNull(),
    content: text('content').notNull(),
    embedding: real('embedding').array(),
    embeddingDims: integer('embedding_dims'),
    embeddingModel: text('embedding_model'),
    importance: real('importance').notNull().default(0.5),
    accessCount: integer('access_count').notNull().default(0),
    createdAt: createdAt(),
    lastAccessedAt: timestamp('last_accessed_at', { withTimezone: true }).notNull().defaultNow(),
    /** When it became true; a memory an update contradicts gets `validTo` and the id of the one that `supersededBy`: kept for history and export, never recalled by default. */
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull().defaultNow(),
    validTo: timestamp('valid_to', { withTimezone: true }),
    supersededBy: uuid('superseded_by'),
    /** The person's message it was taken from (no foreign key: the memory outlives a cleared conversation). */
    sourceMessageId: uuid('source_message_id'),
    /** "Remember until Friday": not recalled after this. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** How often the same thing was said in the same scope, and when last. */
    seenCount: integer('seen_count').notNull().default(1),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('english', content)`),
  },
  (t) => [
    index('memories_agent').on(t.agentId),
    index('memories_user').on(t.userId),
    index('memories_owner').on(t.ownerId),
    index('memories_guild').on(t.guildId),
    // Recall searches current memories only. No pending list (fastupdate): PGlite has no autovacuum to merge it, and every query scanned it whole.
    index('memories_search_current').using('gin', t.search).with({ fastupdate: false }).where(sql`valid_to is null`),
    index('memories_current').on(t.agentId).where(sql`valid_to is null`),
    uniqueIndex('memories_dedup').on(
      t.agentId,
      t.visibility,
      sql`coalesce(${t.ownerId}, '')`,
      sql`coalesce(${t.guildId}, '')`,
      sql`coalesce(${t.placeId}, '')`,
      t.contentHash,
    ),
  ],
);

export type MemoryVisibility = 'owner' | 'place' | 'guild' | 'everyone';

/** Which memories went into the prompt of an answer (the assistant message), in the order they were given. */
export const messageMemories = pgTable(
  'message_memories',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    memoryId: uuid('memory_id')
      .notNull()
      .references(() => memories.id, { onDelete: 'cascade' }),
    rank: integer('rank').notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.memoryId] }), index('message_memories_memory').on(t.memoryId)],
);

export type MeetingStatus = 'pending' | 'running' | 'paused' | 'completed' | 'cancelled' | 'interrupted' | 'failed';

/** A request to the meeting's runner, kept on the row so no process misses it (NOTIFY only wakes the runner). */
export type MeetingControl = 'pause' | 'stop' | 'cancel';

export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    status: text('status').$type<MeetingStatus>().notNull().default('pending'),
    facilitator: text('facilitator').notNull(),
    participants: jsonb('participants').$type<string[]>().notNull(),
    agenda: jsonb('agenda').$type<string[]>().notNull(),
    /** The model each attendee speaks with when the meeting chose one (per participant, or the place's): beats the role's model. */
    models: jsonb('models').$type<Record<string, string>>().notNull().default({}),
    /** Each topic opens with independent positions: the meeting's own choice, else its type's (null: meetings made before it was stored). */
    independent: boolean('independent'),
    /** The tools the terminal user allowed for this meeting (`council meeting start --tools`), pinned `name@sha256`: every run and resume of it calls these. */
    tools: jsonb('tools').$type<string[]>().notNull().default([]),
    requestedBy: text('requested_by'),
    /** Who created it (`discord:<user>`, `key:<id>`, `cli:<name>`) and the Discord server it belongs to. */
    ownerId: text('owner_id'),
    guildId: text('guild_id'),
    discordChannelId: text('discord_channel_id'),
    discordThreadId: text('discord_thread_id'),
    minutes: jsonb('minutes'),
    error: text('error'),
    /** The process running the meeting and its last sign of life: recovery only takes over stale ones. */
    runnerId: text('runner_id'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    /** The runner owns the meeting until then; a live process takes over an expired lease. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Pending control request for the runner (pause, stop, cancel). */
    control: text('control').$type<MeetingControl>(),
    /**
     * Created to run at once (REST, Discord): if the process that accepted it dies
     * before claiming it, a supervisor starts it. Library and CLI meetings stay
     * pending until their creator runs them.
     */
    autostart: boolean('autostart').notNull().default(false),
    /** Automatic resumes tried since the last progress, and when the next may run (backoff). */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('meetings_status').on(t.status), index('meetings_owner').on(t.ownerId), index('meetings_guild').on(t.guildId), index('meetings_thread').on(t.discordThreadId)],
);

export const meetingTurns = pgTable(
  'meeting_turns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    topicIndex: integer('topic_index').notNull(),
    round: integer('round').notNull(),
    /** The persona who spoke; null for a person's turn (kind `human`). */
    agentId: text('agent_id'),
    /** A person's turn: who (`discord:<user>`, `key:<id>`, `cli:<name>`) and the name shown. */
    speakerId: text('speaker_id'),
    speakerName: text('speaker_name'),
    kind: text('kind').$type<TurnKind>().notNull(),
    content: text('content').notNull(),
    externalId: text('external_id'),
    /** The tools the turn called, as on messages.tool_calls. */
    toolCalls: jsonb('tool_calls').$type<ToolCallRecord[]>(),
    model: text('model'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    durationMs: integer('duration_ms'),
    ttftMs: integer('ttft_ms'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('meeting_turns_seq').on(t.meetingId, t.seq), index('meeting_turns_speaker').on(t.speakerId)],
);

/** What a memory is: kept on `memories.kind`. */
export type MemoryKind = 'fact' | 'preference' | 'summary' | 'decision' | 'note' | 'person' | 'reference';

export type TurnKind = 'opening' | 'position' | 'dissent' | 'contribution' | 'pass' | 'topic_summary' | 'human' | 'question';

/** How each topic of a meeting ended, for the minutes. */
export const meetingTopics = pgTable(
  'meeting_topics',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    topicIndex: integer('topic_index').notNull(),
    closedBy: text('closed_by').$type<'facilitator' | 'passes' | 'budget' | 'humans'>().notNull(),
    reason: text('reason'),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.topicIndex] })],
);

/**
 * People's messages to a meeting, written by whichever process received them;
 * the runner turns them into `human` turns before its next turn, so none is lost
 * while a model call is in flight or the runner changes.
 */
export const meetingInbox = pgTable(
  'meeting_inbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    speakerId: text('speaker_id').notNull(),
    speakerName: text('speaker_name').notNull(),
    text: text('text').notNull(),
    externalId: text('external_id'),
    createdAt: createdAt(),
    /** Set when the runner stored it as a turn. */
    turnSeq: integer('turn_seq'),
  },
  (t) => [
    index('meeting_inbox_pending').on(t.meetingId, t.createdAt),
    index('meeting_inbox_speaker').on(t.speakerId),
    // A platform message delivered twice (a gateway replay) is one message.
    uniqueIndex('meeting_inbox_external').on(t.meetingId, t.externalId).where(sql`external_id is not null`),
  ],
);

export const decisions = pgTable('decisions', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id')
    .notNull()
    .references(() => meetings.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  rationale: text('rationale'),
  /** Turn numbers (seq) the decision comes from. */
  sourceTurns: jsonb('source_turns').$type<number[]>().notNull().default([]),
  createdAt: createdAt(),
});

export const actionItems = pgTable('action_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id')
    .notNull()
    .references(() => meetings.id, { onDelete: 'cascade' }),
  /** A persona id, or a person's speaker id when ownerKind is `human`. */
  owner: text('owner').notNull(),
  ownerKind: text('owner_kind').$type<'agent' | 'human'>().notNull().default('agent'),
  ownerName: text('owner_name'),
  task: text('task').notNull(),
  due: text('due'),
  status: text('status').$type<'open' | 'done'>().notNull().default('open'),
  sourceTurns: jsonb('source_turns').$type<number[]>().notNull().default([]),
  doneAt: timestamp('done_at', { withTimezone: true }),
  doneBy: text('done_by'),
  createdAt: createdAt(),
});

/** One row per maintenance job run, so /admin/jobs shows history across restarts. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    trigger: text('trigger').$type<'schedule' | 'manual' | 'startup'>().notNull(),
    status: text('status').$type<'running' | 'ok' | 'failed' | 'skipped'>().notNull(),
    detail: jsonb('detail'),
    error: text('error'),
    /** The process that ran it (host:pid:id). */
    runner: text('runner'),
    /** The schedule slot a scheduled run claimed: one run per slot across every process. */
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    /** Renewed while it runs; a `running` row whose heartbeat is old belongs to a dead process. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('job_runs_name_started').on(t.name, t.startedAt),
    uniqueIndex('job_runs_slot').on(t.name, t.scheduledFor),
  ],
);

/** API keys for /v1: only the sha256 of the key is stored; the key is shown once. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The key's first characters, so people can tell keys apart in lists. */
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** The tools this key's chats may call, each pinned (`<server>.<tool>@<sha256>`), set by an admin; null: none. */
    tools: jsonb('tools').$type<string[]>(),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.hash), uniqueIndex('api_keys_active_name').on(t.name).where(sql`revoked_at is null`)],
);

/** Admin actions that delete or import data: who, what, when, how many rows. */
export const audit = pgTable(
  'audit',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    rows: integer('rows').notNull().default(0),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_at').on(t.at)],
);

/**
 * Settings per place (core/settings): one row per guild, category, channel or
 * thread that sets anything, holding only the keys it sets; the rest it
 * inherits. `parent_id` is the level above as the face last knew it (a
 * thread's channel, a channel's category), so REST and the CLI can show what
 * is in force at a place without Discord.
 */
export const placeSettings = pgTable(
  'place_settings',
  {
    scope: text('scope').$type<'guild' | 'category' | 'channel' | 'thread'>().notNull(),
    placeId: text('place_id').notNull(),
    guildId: text('guild_id'),
    parentId: text('parent_id'),
    values: jsonb('values').$type<Record<string, unknown>>().notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.placeId] }), index('place_settings_guild').on(t.guildId)],
);

/**
 * Tool calls waiting for a person's approval, put by a process that cannot
 * ask (no bot) for one that can: a bot process claims a row (`asking`) and
 * puts the question in Discord, and writes the answer back. Transient: the
 * process that asked deletes its row once it has the answer; rows a dead
 * process left are swept an hour after their claim window.
 */
export const toolApprovalQueue = pgTable(
  'tool_approval_queue',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tool: text('tool').notNull(),
    arguments: jsonb('arguments').$type<Record<string, unknown>>().notNull(),
    agentId: text('agent_id').notNull(),
    requester: jsonb('requester').$type<Record<string, unknown>>().notNull(),
    /** The requester's owner id, so forgetting a person also forgets their waiting questions. */
    requesterId: text('requester_id').notNull(),
    mode: text('mode').$type<'requester' | 'admins'>().notNull(),
    timeoutMs: integer('timeout_ms').notNull(),
    status: text('status').$type<'waiting' | 'asking' | 'approved' | 'denied' | 'timeout' | 'unasked' | 'cancelled'>().notNull().default('waiting'),
    /** The bot process putting the question (host:pid:id). */
    askedBy: text('asked_by'),
    /** A row still waiting then is claimed by nobody: the process that asked answers `unasked`. */
    claimBy: timestamp('claim_by', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('tool_approval_queue_waiting').on(t.claimBy).where(sql`status = 'waiting'`), index('tool_approval_queue_requester').on(t.requesterId)],
);
