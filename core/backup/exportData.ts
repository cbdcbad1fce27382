import { asc } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { conversations, memories, messages } from '../db/schema.js';
import type { BackupRecord } from './records.js';

const pageSize = 500;

/** Streams every conversation, message and memory as backup records, a page at a time. */
export async function* exportData(db: Db): AsyncGenerator<BackupRecord> {
  for (let offset = 0; ; offset += pageSize) {
    const rows = await db.select().from(conversations).orderBy(asc(conversations.createdAt), asc(conversations.id)).limit(pageSize).offset(offset);
    for (const row of rows) yield { type: 'conversation', v: 1, ...row };
    if (rows.length < pageSize) break;
  }
  for (let offset = 0; ; offset += pageSize) {
    const rows = await db.select().from(messages).orderBy(asc(messages.createdAt), asc(messages.id)).limit(pageSize).offset(offset);
    for (const row of rows) yield { type: 'message', v: 1, ...row };
    if (rows.length < pageSize) break;
  }
  for (let offset = 0; ; offset += pageSize) {
    const rows = await db
      .select({
        id: memories.id,
        agentId: memories.agentId,
        subject: memories.subject,
        userId: memories.userId,
        ownerId: memories.ownerId,
        guildId: memories.guildId,
        placeId: memories.placeId,
        visibility: memories.visibility,
        source: memories.source,
        contentHash: memories.contentHash,
        kind: memories.kind,
        content: memories.content,
        embedding: memories.embedding,
        embeddingModel: memories.embeddingModel,
        importance: memories.importance,
        accessCount: memories.accessCount,
        createdAt: memories.createdAt,
        lastAccessedAt: memories.lastAccessedAt,
      })
      .from(memories)
      .orderBy(asc(memories.createdAt), asc(memories.id))
      .limit(pageSize)
      .offset(offset);
    for (const row of rows) yield { type: 'memory', v: 1, ...row };
    if (rows.length < pageSize) break;
  }
}

export function toNdjsonLine(record: BackupRecord): string {
  return `${JSON.stringify(record)}\n`;
}
