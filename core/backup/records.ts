import { z } from 'zod';

const timestamp = z.coerce.date();

/** One line of the NDJSON backup. `v` lets a later version read an older file. */
export const backupRecord = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('conversation'),
    v: z.literal(1),
    id: z.uuid(),
    agentId: z.string().min(1),
    scope: z.string().min(1),
    userId: z.string().nullable(),
    // Owner and place (core/memory/scope.ts); files written before they existed have none.
    ownerId: z.string().nullable().default(null),
    guildId: z.string().nullable().default(null),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  z.object({
    type: z.literal('message'),
    v: z.literal(1),
    id: z.uuid(),
    conversationId: z.uuid(),
    role: z.enum(['user', 'assistant', 'summary']),
    content: z.string(),
    authorId: z.string().nullable(),
    authorName: z.string().nullable(),
    externalId: z.string().nullable(),
    model: z.string().nullable(),
    backend: z.string().nullable(),
    promptTokens: z.number().int().nullable(),
    completionTokens: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    ttftMs: z.number().int().nullable(),
    createdAt: timestamp,
  }),
  z.object({
    type: z.literal('memory'),
    v: z.literal(1),
    id: z.uuid(),
    agentId: z.string().min(1),
    subject: z.string().nullable(),
    userId: z.string().nullable(),
    ownerId: z.string().nullable().default(null),
    guildId: z.string().nullable().default(null),
    placeId: z.string().nullable().default(null),
    visibility: z.enum(['owner', 'place', 'guild', 'everyone']).default('owner'),
    source: z.string().nullable().default(null),
    contentHash: z.string().nullable().default(null),
    kind: z.enum(['fact', 'preference', 'summary', 'decision', 'note']),
    content: z.string(),
    embedding: z.array(z.number()).nullable(),
    embeddingModel: z.string().nullable(),
    importance: z.number(),
    accessCount: z.number().int(),
    createdAt: timestamp,
    lastAccessedAt: timestamp,
  }),
]);

export type BackupRecord = z.infer<typeof backupRecord>;
