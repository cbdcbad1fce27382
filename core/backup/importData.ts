import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import type { SettingScope } from '../settings/settingsSchema.js';
import { actionItems, conversations, decisions, meetingInbox, meetingTopics, meetingTurns, meetings, memories, messageMemories, messages, placeSettings } from '../db/schema.js';
import { CouncilError } from '../errors.js';
import { memoryHash } from '../memory/normaliseMemoryText.js';
import { backupRecord, type BackupRecord, type RecordOf } from './records.js';
import { validateRecords, type ImportLimits, type NumberedRecord } from './validateRecords.js';

export interface ImportResult {
  conversations: number;
  messages: number;
  memories: number;
  meetings: number;
  meetingTurns: number;
  meetingTopics: number;
  meetingInbox: number;
  decisions: number;
  actionItems: number;
  settings: number;
  skipped: number;
}

/** Parses NDJSON; a bad line stops the import before anything is written, naming the line. */
export function parseNdjson(text: string): NumberedRecord[] {
  const records: NumberedRecord[] = [];
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
    records.push({ line: index + 1, record: parsed.data });
  });
  return records;
}

/** What validation needs from the database: embedding sizes already stored, per model. */
export async function storedEmbeddingDims(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectDistinct({ model: memories.embeddingModel, dims: memories.embeddingDims })
    .from(memories)
    .where(isNotNull(memories.embeddingDims));
  return new Map(rows.map((row) => [row.model ?? '', row.dims as number]));
}

const empty = (): ImportResult => ({ conversations: 0, messages: 0, memories: 0, meetings: 0, meetingTurns: 0, meetingTopics: 0, meetingInbox: 0, decisions: 0, actionItems: 0, settings: 0, skipped: 0 });

function strip<T extends { type: string; v: number }>(record: T): Omit<T, 'type' | 'v'> {
  const { type: _type, v: _v, ...row } = record;
  return row;
}

/**
 * Validates every record, then writes them in one transaction, keeping ids,
 * so importing the same file twice changes nothing and a bad line writes
 * nothing. A conversation that exists under another id (same agent and scope)
 * receives the imported messages.
 */
export async function importData(
  db: Db,
  numbered: NumberedRecord[],
  limits: Omit<ImportLimits, 'storedDims'>,
  /** Told, after the commit, which places got settings: every process must read them again. */
  onSettingsRestored: (places: Array<{ scope: SettingScope; id: string }>) => Promise<void> = async () => {},
): Promise<ImportResult> {
  validateRecords(numbered, { ...limits, storedDims: await storedEmbeddingDims(db) });
  const records = numbered.map((n) => n.record);
  const of = <T extends BackupRecord['type']>(type: T) => records.filter((r): r is RecordOf<T> => r.type === type);
  const restored: Array<{ scope: SettingScope; id: string }> = [];
  const result = await db.transaction(async (tx) => {
    const result = empty();
    const count = (inserted: unknown[], key: Exclude<keyof ImportResult, 'skipped'>) => {
      if (inserted.length > 0) result[key]++;
      else result.skipped++;
    };

    const conversationIds = new Map<string, string>();
    for (const record of of('conversation')) {
      const inserted = await tx.insert(conversations).values(strip(record)).onConflictDoNothing().returning({ id: conversations.id });
      count(inserted, 'conversations');
      if (inserted.length > 0) {
        conversationIds.set(record.id, record.id);
        continue;
      }
      const [existing] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.agentId, record.agentId), eq(conversations.scope, record.scope)))
        .limit(1);
      conversationIds.set(record.id, existing?.id ?? record.id);
    }
    for (const record of of('message')) {
      const row = strip(record);
      const conversationId = conversationIds.get(row.conversationId) ?? row.conversationId;
      const known = conversationIds.has(row.conversationId) || (await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversationId))).length > 0;
      if (!known) throw new CouncilError('bad_import', `message ${row.id} belongs to conversation ${row.conversationId}, which is not in the file or the database; nothing was imported`);
      count(await tx.insert(messages).values({ ...row, conversationId }).onConflictDoNothing().returning({ id: messages.id }), 'messages');
    }
    for (const record of of('memory')) {
      const row = strip(record);
      const values = {
        ...row,
        contentHash: row.contentHash ?? memoryHash(row.content),
        embeddingDims: row.embedding?.length ?? null,
        validFrom: row.validFrom ?? row.createdAt,
        lastSeenAt: row.lastSeenAt ?? row.lastAccessedAt,
      };
      count(await tx.insert(memories).values(values).onConflictDoNothing().returning({ id: memories.id }), 'memories');
    }
    for (const record of of('message_memory')) {
      // Provenance of a message or memory that was not imported (deduplicated away) is dropped, not an error.
      await tx.execute(sql`insert into message_memories (message_id, memory_id, rank)
        select ${record.messageId}::uuid, ${record.memoryId}::uuid, ${record.rank}
        where exists (select 1 from messages where id = ${record.messageId}::uuid) and exists (select 1 from memories where id = ${record.memoryId}::uuid)
        on conflict do nothing`);
    }

    const meetingIds = new Set<string>();
    for (const record of of('meeting')) {
      const { meetingType, ...row } = strip(record);
      count(await tx.insert(meetings).values({ ...row, type: meetingType }).onConflictDoNothing().returning({ id: meetings.id }), 'meetings');
      meetingIds.add(record.id);
    }
    const knownMeeting = async (id: string, what: string) => {
      if (meetingIds.has(id)) return;
      if ((await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, id))).length > 0) return void meetingIds.add(id);
      throw new CouncilError('bad_import', `${what} belongs to meeting ${id}, which is not in the file or the database; nothing was imported`);
    };
    for (const record of of('meeting_turn')) {
      await knownMeeting(record.meetingId, `turn ${record.seq}`);
      count(await tx.insert(meetingTurns).values(strip(record)).onConflictDoNothing().returning({ id: meetingTurns.id }), 'meetingTurns');
    }
    for (const record of of('meeting_topic')) {
      await knownMeeting(record.meetingId, `topic ${record.topicIndex}`);
      count(await tx.insert(meetingTopics).values(strip(record)).onConflictDoNothing().returning({ meetingId: meetingTopics.meetingId }), 'meetingTopics');
    }
    for (const record of of('meeting_inbox')) {
      await knownMeeting(record.meetingId, `inbox message ${record.id}`);
      count(await tx.insert(meetingInbox).values(strip(record)).onConflictDoNothing().returning({ id: meetingInbox.id }), 'meetingInbox');
    }
    for (const record of of('decision')) {
      await knownMeeting(record.meetingId, `decision ${record.id}`);
      count(await tx.insert(decisions).values(strip(record)).onConflictDoNothing().returning({ id: decisions.id }), 'decisions');
    }
    for (const record of of('action_item')) {
      await knownMeeting(record.meetingId, `action item ${record.id}`);
      count(await tx.insert(actionItems).values(strip(record)).onConflictDoNothing().returning({ id: actionItems.id }), 'actionItems');
    }
    // A place that already has settings keeps them: an import restores, it does not overrule a later change.
    for (const record of of('setting')) {
      const inserted = await tx.insert(placeSettings).values(strip(record)).onConflictDoNothing().returning({ scope: placeSettings.scope, id: placeSettings.placeId });
      count(inserted, 'settings');
      restored.push(...inserted);
    }
    return result;
  });
  if (restored.length > 0) await onSettingsRestored(restored);
  return result;
}
