import { and, eq } from 'drizzle-orm';
import { CouncilError } from '../errors.js';
import type { Db } from '../db/database.js';
import { conversations, memories, messages } from '../db/schema.js';
import { backupRecord, type BackupRecord } from './records.js';

export interface ImportResult {
  conversations: number;
  messages: number;
  memories: number;
  skipped: number;
}

/** Parses NDJSON; a bad line stops the import before anything is written, naming the line. */
export function parseNdjson(text: string): BackupRecord[] {
  const records: BackupRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new CouncilError('bad_import', `line ${index + 1} is not valid JSON; the file must be NDJSON from \`council export\``);
    }
    const parsed = backupRecord.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CouncilError('bad_import', `line ${index + 1}: ${issue?.path.join('.') || 'record'} ${issue?.message ?? 'is invalid'}`);
    }
    records.push(parsed.data);
  });
  return records;
}

/**
 * Writes records in one transaction, keeping ids, so importing the same file
 * twice changes nothing. A conversation that exists under another id (same
 * agent and scope) receives the imported messages.
 */
export async function importData(db: Db, records: BackupRecord[]): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    const result: ImportResult = { conversations: 0, messages: 0, memories: 0, skipped: 0 };
    const conversationIds = new Map<string, string>();
    for (const record of records) {
      if (record.type !== 'conversation') continue;
      const { type: _type, v: _v, ...row } = record;
      const inserted = await tx.insert(conversations).values(row).onConflictDoNothing().returning({ id: conversations.id });
      if (inserted.length > 0) {
        result.conversations++;
        conversationIds.set(record.id, record.id);
        continue;
      }
      const [existing] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.agentId, record.agentId), eq(conversations.scope, record.scope)))
        .limit(1);
      const [sameId] = existing ? [existing] : await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, record.id));
      conversationIds.set(record.id, sameId?.id ?? record.id);
      result.skipped++;
    }
    for (const record of records) {
      if (record.type === 'message') {
        const { type: _type, v: _v, ...row } = record;
        const conversationId = conversationIds.get(row.conversationId) ?? row.conversationId;
        const known = conversationIds.has(row.conversationId) || (await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversationId))).length > 0;
        if (!known) throw new CouncilError('bad_import', `message ${row.id} belongs to conversation ${row.conversationId}, which is not in the file or the database`);
        const inserted = await tx.insert(messages).values({ ...row, conversationId }).onConflictDoNothing().returning({ id: messages.id });
        if (inserted.length > 0) result.messages++;
        else result.skipped++;
      } else if (record.type === 'memory') {
        const { type: _type, v: _v, ...row } = record;
        const inserted = await tx
          .insert(memories)
          .values({ ...row, embeddingDims: row.embedding?.length ?? null })
          .onConflictDoNothing()
          .returning({ id: memories.id });
        if (inserted.length > 0) result.memories++;
        else result.skipped++;
      }
    }
    return result;
  });
}
