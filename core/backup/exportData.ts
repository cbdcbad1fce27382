import { asc, getTableColumns, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/database.js';
import { actionItems, conversations, decisions, meetingInbox, meetingTopics, meetingTurns, meetings, memories, messageMemories, messages, placeSettings } from '../db/schema.js';
import type { BackupRecord } from './records.js';

const pageSize = 500;

/** Pages through a table in a stable order. */
async function* pages<T>(db: Db, table: PgTable, order: PgColumn[], columns?: Record<string, PgColumn | SQL>): AsyncGenerator<T> {
  for (let offset = 0; ; offset += pageSize) {
    const query = columns ? db.select(columns).from(table) : db.select().from(table);
    const rows = (await query.orderBy(...order.map((column) => asc(column))).limit(pageSize).offset(offset)) as T[];
    yield* rows;
    if (rows.length < pageSize) break;
  }
}

/**
 * Streams every row that holds user data as backup records, parents before
 * children: conversations, messages, memories and which answers used them, then meetings with their turns,
 * topic outcomes, inbox, decisions and action items; then each place's settings.
 */
export async function* exportData(db: Db): AsyncGenerator<BackupRecord> {
  for await (const row of pages<typeof conversations.$inferSelect>(db, conversations, [conversations.createdAt, conversations.id])) {
    yield { type: 'conversation', v: 2, ...row };
  }
  for await (const row of pages<typeof messages.$inferSelect>(db, messages, [messages.createdAt, messages.id])) yield { type: 'message', v: 2, ...row };
  const { search: _search, embeddingDims: _dims, ...memoryColumns } = getTableColumns(memories);
  for await (const row of pages<Omit<typeof memories.$inferSelect, 'search' | 'embeddingDims'>>(db, memories, [memories.createdAt, memories.id], memoryColumns)) {
    yield { type: 'memory', v: 2, ...row };
  }
  for await (const row of pages<typeof messageMemories.$inferSelect>(db, messageMemories, [messageMemories.messageId, messageMemories.rank])) yield { type: 'message_memory', v: 2, ...row };
  for await (const row of pages<typeof meetings.$inferSelect>(db, meetings, [meetings.createdAt, meetings.id])) {
    // Who ran it and its lease belong to a process of the old server; a meeting caught running restores as resumable.
    const { type, runnerId: _runner, heartbeatAt: _beat, leaseUntil: _lease, control: _control, nextAttemptAt: _next, status, ...rest } = row;
    yield { type: 'meeting', v: 2, meetingType: type, status: status === 'running' ? 'interrupted' : status, ...rest };
  }
  for await (const row of pages<typeof meetingTurns.$inferSelect>(db, meetingTurns, [meetingTurns.meetingId, meetingTurns.seq])) yield { type: 'meeting_turn', v: 2, ...row };
  for await (const row of pages<typeof meetingTopics.$inferSelect>(db, meetingTopics, [meetingTopics.meetingId, meetingTopics.topicIndex])) yield { type: 'meeting_topic', v: 2, ...row };
  for await (const row of pages<typeof meetingInbox.$inferSelect>(db, meetingInbox, [meetingInbox.createdAt, meetingInbox.id])) yield { type: 'meeting_inbox', v: 2, ...row };
  for await (const row of pages<typeof decisions.$inferSelect>(db, decisions, [decisions.createdAt, decisions.id])) yield { type: 'decision', v: 2, ...row };
  for await (const row of pages<typeof actionItems.$inferSelect>(db, actionItems, [actionItems.createdAt, actionItems.id])) yield { type: 'action_item', v: 2, ...row };
  for await (const row of pages<typeof placeSettings.$inferSelect>(db, placeSettings, [placeSettings.scope, placeSettings.placeId])) yield { type: 'setting', v: 2, ...row };
}

export function toNdjsonLine(record: BackupRecord): string {
  return `${JSON.stringify(record)}\n`;
}
