import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { rowsOf } from '../db/rows.js';
import { CouncilError } from '../errors.js';
import { memoryHash } from './normaliseMemoryText.js';
import { recallCondition, type Caller } from './scope.js';

/** A memory as people see it: what, of which kind, who said it, where, when, and whether it still holds. */
export interface MemoryView {
  id: string;
  agentId: string;
  kind: string;
  content: string;
  subject: string | null;
  ownerId: string | null;
  source: string | null;
  guildId: string | null;
  placeId: string | null;
  visibility: string;
  createdAt: Date;
  validTo: Date | null;
  supersededBy: string | null;
  expiresAt: Date | null;
  seenCount: number;
  lastSeenAt: Date;
  sourceMessageId: string | null;
}

/** "Why did you say this?": the answer, its colleague, the memories its prompt held that the caller may see, and how many it may not. */
export interface WhyView {
  messageId: string;
  agentId: string;
  memories: MemoryView[];
  hidden: number;
}

const columns = sql.raw(`id, agent_id as "agentId", kind, content, subject, owner_id as "ownerId", source, guild_id as "guildId", place_id as "placeId", visibility,
  created_at as "createdAt", valid_to as "validTo", superseded_by as "supersededBy", expires_at as "expiresAt", seen_count as "seenCount", last_seen_at as "lastSeenAt", source_message_id as "sourceMessageId"`);

const view = (row: MemoryView): MemoryView => ({
  ...row,
  createdAt: new Date(row.createdAt),
  lastSeenAt: new Date(row.lastSeenAt),
  validTo: row.validTo ? new Date(row.validTo) : null,
  expiresAt: row.expiresAt ? new Date(row.expiresAt) : null,
  seenCount: Number(row.seenCount),
});

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who may see and change which memory. Seeing one is recall's rule
 * (recallCondition) for its colleague; changing one is for the person who
 * said it, a Manage Server member of the server it is kept in, or the admin.
 */
export class MemoryAccess {
  constructor(private readonly db: Db) {}

  /** The memory, when `caller` may see it; unknown_memory otherwise (no hint that it exists). */
  async get(id: string, caller: Caller): Promise<MemoryView> {
    const row = uuidShape.test(id) ? rowsOf<MemoryView>(await this.db.execute(sql`select ${columns} from memories where id = ${id}::uuid`))[0] : undefined;
    if (!row || !(await this.visible(row, caller))) throw new CouncilError('unknown_memory', `no memory ${id.slice(0, 60)} that you may see; list yours with memory list`);
    return view(row);
  }

  /** Memories `caller` said (`me`) or of the channel they are in (`channel`), newest first, paged. */
  async list(caller: Caller, options: { of: 'me' | 'channel'; limit: number; offset: number; current?: boolean }): Promise<MemoryView[]> {
    const where: SQL =
      options.of === 'channel'
        ? sql`visibility = 'place' and ${caller.placeId}::text is not null and place_id = ${caller.placeId}::text and guild_id is not distinct from ${caller.guildId}::text`
        : sql`owner_id = ${caller.ownerId} and guild_id is not distinct from ${caller.guildId}::text`;
    const current = options.current === false ? sql`true` : sql`valid_to is null`;
    return rowsOf<MemoryView>(await this.db.execute(sql`select ${columns} from memories where ${where} and ${current} order by created_at desc, id limit ${options.limit} offset ${options.offset}`)).map(view);
  }

  /**
   * The memories that went into the prompt of answer `messageId` (or of the
   * answer a platform knows by `externalId`: the Discord id of any of its
   * messages, when a long one was split), in prompt
   * order, leaving out what `caller` may not see. A Discord member asks about
   * answers of their own server only; another server's answer is unknown.
   */
  async why(ref: string | { externalId: string }, caller: Caller): Promise<WhyView> {
    const message = await this.answer(ref);
    const named = typeof ref === 'string' ? ref : ref.externalId;
    if (!message || (caller.guildId && message.guildId !== caller.guildId)) {
      throw new CouncilError('unknown_memory', `no answer ${named.slice(0, 60)} that you may see; ask about a colleague's answer`);
    }
    const messageId = message.id;
    const used = rowsOf<MemoryView>(
      await this.db.execute(sql`select ${sql.raw('m.id, m.agent_id as "agentId", m.kind, m.content, m.subject, m.owner_id as "ownerId", m.source, m.guild_id as "guildId", m.place_id as "placeId", m.visibility, m.created_at as "createdAt", m.valid_to as "validTo", m.superseded_by as "supersededBy", m.expires_at as "expiresAt", m.seen_count as "seenCount", m.last_seen_at as "lastSeenAt", m.source_message_id as "sourceMessageId"')}
        from message_memories u join memories m on m.id = u.memory_id where u.message_id = ${messageId}::uuid order by u.rank`),
    );
    const memories: MemoryView[] = [];
    for (const row of used) if (await this.visible(row, caller)) memories.push(view(row));
    return { messageId, agentId: message.agentId, memories, hidden: used.length - memories.length };
  }

  private async answer(ref: string | { externalId: string }): Promise<{ id: string; agentId: string; guildId: string | null } | undefined> {
    if (typeof ref === 'string' && !uuidShape.test(ref)) return undefined;
    const which = typeof ref === 'string' ? sql`m.id = ${ref}::uuid` : sql`(m.external_id = ${ref.externalId} or m.external_parts @> array[${ref.externalId}]::text[])`;
    return rowsOf<{ id: string; agentId: string; guildId: string | null }>(
      await this.db.execute(sql`select m.id, c.agent_id as "agentId", c.guild_id as "guildId" from messages m join conversations c on c.id = m.conversation_id
        where ${which} and m.role = 'assistant' order by m.created_at desc limit 1`),
    )[0];
  }

  /** Rewrites a memory's text; its vector is dropped (recall finds it by its words until it is said again). */
  async edit(id: string, text: string, caller: Caller): Promise<{ before: MemoryView; after: MemoryView }> {
    const content = text.trim();
    if (content.length < 3 || content.length > 2_000) throw new CouncilError('bad_usage', 'a memory is 3 to 2,000 characters; say it in one or two sentences');
    const before = await this.get(id, caller);
    this.mayChange(before, caller);
    try {
      await this.db.execute(sql`update memories set content = ${content}, content_hash = ${memoryHash(content)}, embedding = null, embedding_dims = null, embedding_model = null where id = ${id}::uuid`);
    } catch (error) {
      if (String((error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code) === '23505') throw new CouncilError('bad_usage', 'the same memory is already kept there; forget this one instead');
      throw error;
    }
    return { before, after: await this.get(id, caller) };
  }

  /** Deletes one memory. */
  async forget(id: string, caller: Caller): Promise<MemoryView> {
    const memory = await this.get(id, caller);
    this.mayChange(memory, caller);
    await this.db.execute(sql`delete from memories where id = ${id}::uuid`);
    return memory;
  }

  private mayChange(memory: MemoryView, caller: Caller): void {
    if (caller.ownerId === 'admin' || memory.ownerId === caller.ownerId) return;
    if (caller.manager && caller.guildId && memory.guildId === caller.guildId) return;
    throw new CouncilError('forbidden', 'only the person who said it, or someone who may manage this server, may change this memory');
  }

  private async visible(row: { id: string; agentId: string }, caller: Caller): Promise<boolean> {
    if (caller.ownerId === 'admin') return true;
    const rows = rowsOf<{ id: string }>(await this.db.execute(sql`select id from memories where id = ${row.id}::uuid and ${recallCondition(row.agentId, caller)}`));
    return rows.length > 0;
  }
}
