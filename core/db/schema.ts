import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
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
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('conversations_agent_scope').on(t.agentId, t.scope), index('conversations_user').on(t.userId)],
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
    model: text('model'),
    backend: text('backend'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    durationMs: integer('duration_ms'),
    ttftMs: integer('ttft_ms'),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_conversation_created').on(t.conversationId, t.createdAt),
    index('messages_external').on(t.externalId),
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
    kind: text('kind').$type<'fact' | 'preference' | 'summary' | 'decision' | 'note'>().notNull(),
    content: text('content').notNull(),
    embedding: real('embedding').array(),
    embeddingDims: integer('embedding_dims'),
    embeddingModel: text('embedding_model'),
    importance: real('importance').notNull().default(0.5),
    accessCount: integer('access_count').notNull().default(0),
    createdAt: createdAt(),
    lastAccessedAt: timestamp('last_accessed_at', { withTimezone: true }).notNull().defaultNow(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('english', content)`),
  },
  (t) => [
    index('memories_agent').on(t.agentId),
    index('memories_user').on(t.userId),
    index('memories_search').using('gin', t.search),
  ],
);

export type MeetingStatus = 'pending' | 'running' | 'completed' | 'cancelled' | 'interrupted' | 'failed';

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
    requestedBy: text('requested_by'),
    discordChannelId: text('discord_channel_id'),
    discordThreadId: text('discord_thread_id'),
    minutes: jsonb('minutes'),
    error: text('error'),
    /** The process running the meeting and its last sign of life: recovery only takes over stale ones. */
    runnerId: text('runner_id'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('meetings_status').on(t.status)],
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
    agentId: text('agent_id').notNull(),
    kind: text('kind').$type<'opening' | 'contribution' | 'pass' | 'topic_summary' | 'closing'>().notNull(),
    content: text('content').notNull(),
    externalId: text('external_id'),
    model: text('model'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    durationMs: integer('duration_ms'),
    ttftMs: integer('ttft_ms'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('meeting_turns_seq').on(t.meetingId, t.seq)],
);

export const decisions = pgTable('decisions', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id')
    .notNull()
    .references(() => meetings.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  rationale: text('rationale'),
  createdAt: createdAt(),
});

export const actionItems = pgTable('action_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id')
    .notNull()
    .references(() => meetings.id, { onDelete: 'cascade' }),
  owner: text('owner').notNull(),
  task: text('task').notNull(),
  due: text('due'),
  status: text('status').$type<'open' | 'done'>().notNull().default('open'),
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
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('job_runs_name_started').on(t.name, t.startedAt)],
);
