import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { rowsOf } from '../db/rows.js';
import { memories, type MemoryKind, type MemoryVisibility } from '../db/schema.js';
import { CouncilError } from '../errors.js';
import { metrics } from '../metrics.js';
import { memoryHash } from './normaliseMemoryText.js';
import { rankMemories } from './rankMemories.js';
import { topicWords } from './topicWords.js';
import { recallCondition, type Caller, type MemoryScope } from './scope.js';

export type { MemoryKind };

export interface NewMemory {
  agentId: string;
  content: string;
  kind: MemoryKind;
  importance: number;
  scope: MemoryScope;
  subject?: string | null;
  embedding?: number[] | null;
  embeddingModel?: string | null;
  /** The person's message it was taken from. */
  sourceMessageId?: string | null;
  /** Not recalled after this ("remember until Friday"). */
  expiresAt?: Date | null;
}

export interface RecalledMemory {
  id: string;
  content: string;
  kind: string;
  source: string | null;
  createdAt: Date;
  score: number;
  importance: number;
  lastSeenAt: Date;
}

/** Which moment recall looks at: now (current, unexpired memories) or `asOf` a past time. */
export function validAt(asOf?: Date | null): SQL {
  if (!asOf) return sql`(valid_to is null and (expires_at is null or expires_at > now()))`;
  const at = asOf.toISOString();
  return sql`(valid_from <= ${at}::timestamptz and (valid_to is null or valid_to > ${at}::timestamptz) and (expires_at is null or expires_at > ${at}::timestamptz))`;
}

/** What an operator may filter the memory list by (/admin/memories). */
export interface MemoryListFilter {
  agentId?: string;
  query?: string;
  kind?: MemoryKind;
  visibility?: MemoryVisibility;
  /** Part of the source label ("Ana in this channel", "meeting ..."). */
  source?: string;
  /** Superseded memories: included (default), only them, or left out. */
  superseded?: 'include' | 'only' | 'exclude';
  limit?: number;
}

/** Anything that runs queries: the database or a transaction on it. */
type Executor = Pick<Db, 'insert' | 'execute'>;

/** Stored memories are cut to this; a pasted document is not a memory. */
export const maxStoredMemoryChars = 2_000;
const analyzeEvery = 1000;
/** Two memories of one scope whose vectors are at least this close say the same thing: the later merges into the earlier. */
export const nearDuplicateCosine = 0.92;
/** How many candidates per recalled memory ranking chooses from. */
const candidateFactor = 4;

/**
 * Long-term memories. Recall ranks by cosine distance through pgvector's HNSW
 * index where the database has pgvector, else by full-text rank; either way it
 * only ever sees rows that recallCondition (core/memory/scope.ts) lets the
 * caller see. The index for a vector size is made the first time a memory of
 * that size is stored.
 */
export class MemoryStore {
  private readonly indexedDims = new Set<number>();
  private writesSinceAnalyze = 0;
  /** Whether this pgvector can scan HNSW iteratively; unknown until the first vector recall. */
  private iterativeScan: boolean | undefined;

  constructor(
    private readonly db: Db,
    private readonly vector: boolean,
  ) {}

  get usesVectors(): boolean {
    return this.vector;
  }

  /**
   * Makes what a write of this memory needs outside any transaction (the HNSW
   * index for its vector size), so the write itself can join the caller's
   * transaction.
   */
  async prepare(memory: Pick<NewMemory, 'embedding'>): Promise<void> {
    const dims = memory.embedding?.length ?? 0;
    if (dims > 0 && this.vector) await this.ensureVectorIndex(dims);
  }

  /**
   * Stores a memory; the same thing said again in the same scope (same
   * normalised text: the memories_dedup index decides, so concurrent writers
   * agree; or, with a vector, a current memory at least nearDuplicateCosine
   * close) is kept once, its seen count and last-seen time raised. Returns the
   * new row's id, or null when it was already there. Pass a transaction as
   * `executor` to store it with something else.
   */
  async add(memory: NewMemory, executor: Executor = this.db): Promise<string | null> {
    return (await this.upsert(memory, executor)).inserted;
  }

  /** Like add, but also returns the id of the row a repeat merged into. */
  async upsert(memory: NewMemory, executor: Executor = this.db): Promise<{ id: string; inserted: string | null }> {
    if (memory.scope.visibility === 'everyone' && memory.scope.ownerId !== 'admin') {
      throw new CouncilError('unauthorized', 'only an admin can write a memory every speaker recalls');
    }
    if (executor === this.db) await this.prepare(memory);
    const content = memory.content.length > maxStoredMemoryChars ? `${memory.content.slice(0, maxStoredMemoryChars - 1)}…` : memory.content;
    const dims = memory.embedding?.length || null;
    const near = dims && memory.kind !== 'reference' ? await this.nearDuplicate(memory, executor) : null;
    if (near) {
      await executor.execute(sql`update memories set seen_count = seen_count + 1, last_seen_at = now() where id = ${near}::uuid`);
      return { id: near, inserted: null };
    }
    const rows = await executor
      .insert(memories)
      .values({
        agentId: memory.agentId,
        content,
        contentHash: memoryHash(content),
        kind: memory.kind,
        importance: memory.importance,
        ownerId: memory.scope.ownerId,
        userId: memory.scope.ownerId,
        guildId: memory.scope.guildId,
        placeId: memory.scope.placeId,
        visibility: memory.scope.visibility,
        source: memory.scope.source,
        subject: memory.subject ?? null,
        embedding: dims ? (memory.embedding ?? null) : null,
        embeddingDims: dims,
        embeddingModel: dims ? (memory.embeddingModel ?? null) : null,
        sourceMessageId: memory.sourceMessageId ?? null,
        expiresAt: memory.expiresAt ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: memories.id });
    const id = rows[0]?.id ?? null;
    if (id) {
      metrics.memoriesWritten.inc({ kind: memory.kind });
      if (++this.writesSinceAnalyze >= analyzeEvery) await this.analyze();
      return { id, inserted: id };
    }
    const scope = memory.scope;
    // A repeat of a superseded memory stays superseded: saying an old fact again does not revive it (the newer one is also current).
    const merged = rowsOf<{ id: string }>(
      await executor.execute(sql`update memories set seen_count = seen_count + 1, last_seen_at = now()
        where agent_id = ${memory.agentId} and visibility = ${scope.visibility} and coalesce(owner_id, '') = ${scope.ownerId}
          and coalesce(guild_id, '') = ${scope.guildId ?? ''} and coalesce(place_id, '') = ${scope.placeId ?? ''} and content_hash = ${memoryHash(content)}
        returning id`),
    );
    const existing = merged[0]?.id;
    if (!existing) throw new CouncilError('internal', 'a memory was neither stored nor found as a repeat; try again');
    return { id: existing, inserted: null };
  }

  /**
   * A current memory of the same scope that says the same in other words
   * (cosine >= nearDuplicateCosine between vectors of the same embedding
   * model): the one a repeat merges into. Computed over the real[] column, so
   * it works with pgvector or without.
   */
  private async nearDuplicate(memory: NewMemory, executor: Executor): Promise<string | null> {
    const embedding = memory.embedding!;
    const scope = memory.scope;
    const vector = `{${embedding.join(',')}}`;
    const rows = rowsOf<{ id: string }>(
      await executor.execute(sql`select id from memories
        where agent_id = ${memory.agentId} and visibility = ${scope.visibility} and coalesce(owner_id, '') = ${scope.ownerId}
          and coalesce(guild_id, '') = ${scope.guildId ?? ''} and coalesce(place_id, '') = ${scope.placeId ?? ''}
          and valid_to is null and kind <> 'reference' and embedding_dims = ${embedding.length} and embedding_model is not distinct from ${memory.embeddingModel ?? null}
          and (select sum(a * b) / nullif(sqrt(sum(a * a) * sum(b * b)), 0) from unnest(embedding, ${vector}::real[]) as pair(a, b)) >= ${nearDuplicateCosine}
        order by last_seen_at desc limit 1`),
    );
    return rows[0]?.id ?? null;
  }

  /**
   * The `limit` memories of `agentId` most like the query that `caller` may
   * see. A memory must share a topic word with the query (not just "run" or
   * "use": topicWords) or, with vectors, be at least `minScore` similar: the
   * relevance floor that keeps one long note out of every prompt, and a
   * question whose answer was never given from recalling something else.
   */
  async recall(options: { agentId: string; caller: Caller; text: string; embedding?: number[] | null; limit?: number; minScore?: number; asOf?: Date | null; halfLifeDays?: number }): Promise<RecalledMemory[]> {
    const limit = options.limit ?? 5;
    const visible = sql`${recallCondition(options.agentId, options.caller)} and ${validAt(options.asOf)}`;
    const embedding = options.embedding;
    // The closest few times `limit` pass the relevance floor, then recency and importance reorder them.
    const candidates = limit * candidateFactor;
    const found =
      this.vector && embedding && embedding.length > 0
        ? await this.recallByVector(visible, options.text, embedding, candidates, options.minScore ?? 0.5)
        : await this.recallByText(visible, options.text, candidates);
    return rankMemories(found, { limit, halfLifeDays: options.halfLifeDays ?? 30, ...(options.asOf ? { now: options.asOf } : {}) });
  }

  /**
   * The current memories of one scope most like `text` (full-text rank, then
   * the newest): what an extraction is shown so the model can say a new
   * statement repeats, updates or contradicts one of them. A channel's shared
   * facts are one scope whoever said them: Ben saying the staging cluster
   * moved must see (and may supersede) Ana's "the staging cluster lives in
   * Frankfurt", which everyone in the channel recalls; what a person keeps
   * privately is only ever shown to their own extractions.
   */
  async similarInScope(agentId: string, scope: MemoryScope, text: string, limit = 8): Promise<Array<{ id: string; content: string; kind: string }>> {
    const owner = scope.visibility === 'place' ? sql`true` : sql`coalesce(owner_id, '') = ${scope.ownerId}`;
    return rowsOf<{ id: string; content: string; kind: string }>(
      await this.db.execute(sql`select id, content, kind from memories
        where agent_id = ${agentId} and visibility = ${scope.visibility} and ${owner}
          and coalesce(guild_id, '') = ${scope.guildId ?? ''} and coalesce(place_id, '') = ${scope.placeId ?? ''}
          and ${validAt()} and kind <> 'reference'
        order by ts_rank(search, ${anyWord(text)}) desc, last_seen_at desc limit ${limit}`),
    );
  }

  /** A newer memory replaces `oldId`: it stops being recalled but stays for history and export. */
  async supersede(oldId: string, newId: string, executor: Executor = this.db): Promise<boolean> {
    if (oldId === newId) return false;
    const rows = rowsOf<{ id: string }>(await executor.execute(sql`update memories set valid_to = now(), superseded_by = ${newId}::uuid where id = ${oldId}::uuid and valid_to is null returning id`));
    return rows.length > 0;
  }

  /** The same thing was said again. */
  async seen(id: string): Promise<void> {
    await this.db.execute(sql`update memories set seen_count = seen_count + 1, last_seen_at = now() where id = ${id}::uuid`);
  }

  /**
   * Which memories went into the prompt of the answer `messageId`, in prompt
   * order; they count as used (access count, last accessed: what pruning
   * keeps). Written with the answer, after it, so recall itself only reads
   * and the answer never waits for this write.
   */
  async recordUse(messageId: string, memoryIds: string[]): Promise<void> {
    if (memoryIds.length === 0) return;
    const values = sql.join(
      memoryIds.map((id, rank) => sql`(${messageId}::uuid, ${id}::uuid, ${rank})`),
      sql`, `,
    );
    const ids = sql.join(memoryIds.map((id) => sql`${id}::uuid`), sql`, `);
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`insert into message_memories (message_id, memory_id, rank) values ${values} on conflict do nothing`);
      await tx.execute(sql`update memories set access_count = access_count + 1, last_accessed_at = now() where id in (${ids})`);
    });
  }

  async list(options: MemoryListFilter & { ownerId?: string; guildId?: string } = {}) {
    const conditions: SQL[] = [];
    if (options.kind) conditions.push(eq(memories.kind, options.kind));
    if (options.visibility) conditions.push(eq(memories.visibility, options.visibility));
    if (options.source) conditions.push(sql`${memories.source} ilike ${'%' + options.source + '%'}`);
    if (options.superseded === 'only') conditions.push(sql`${memories.validTo} is not null`);
    if (options.superseded === 'exclude') conditions.push(sql`${memories.validTo} is null`);
    if (options.agentId) conditions.push(eq(memories.agentId, options.agentId));
    if (options.ownerId) conditions.push(eq(memories.ownerId, options.ownerId));
    if (options.guildId) conditions.push(eq(memories.guildId, options.guildId));
    if (options.query) conditions.push(sql`${memories.content} ilike ${'%' + options.query + '%'}`);
    return this.db
      .select({
        id: memories.id,
        agentId: memories.agentId,
        userId: memories.userId,
        ownerId: memories.ownerId,
        guildId: memories.guildId,
        placeId: memories.placeId,
        visibility: memories.visibility,
        source: memories.source,
        subject: memories.subject,
        kind: memories.kind,
        content: memories.content,
        importance: memories.importance,
        accessCount: memories.accessCount,
        createdAt: memories.createdAt,
        lastAccessedAt: memories.lastAccessedAt,
        validFrom: memories.validFrom,
        validTo: memories.validTo,
        supersededBy: memories.supersededBy,
        sourceMessageId: memories.sourceMessageId,
        expiresAt: memories.expiresAt,
        seenCount: memories.seenCount,
        lastSeenAt: memories.lastSeenAt,
      })
      .from(memories)
      .where(conditions.length > 0 ? and(...conditions) : undefined)
      .orderBy(desc(memories.createdAt))
      .limit(options.limit ?? 100);
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(memories);
    return row?.n ?? 0;
  }

  async clear(agentId?: string): Promise<number> {
    const deleted = agentId
      ? await this.db.delete(memories).where(eq(memories.agentId, agentId)).returning({ id: memories.id })
      : await this.db.delete(memories).returning({ id: memories.id });
    return deleted.length;
  }

  /** Clears one Discord server's memories. Returns how many went. */
  async clearGuild(guildId: string): Promise<number> {
    const deleted = await this.db.delete(memories).where(eq(memories.guildId, guildId)).returning({ id: memories.id });
    return deleted.length;
  }

  private async recallByVector(visible: SQL, text: string, embedding: number[], limit: number, minScore: number): Promise<RecalledMemory[]> {
    const dims = sql.raw(String(embedding.length));
    const literal = `[${embedding.join(',')}]`;
    // The cast expression must match the index expression exactly for the planner to use HNSW.
    const distance = sql`(embedding::vector(${dims})) <=> ${literal}::vector(${dims})`;
    const query = sql`with hits as materialized (
        select id, content, kind, source, created_at as "createdAt", importance, last_seen_at as "lastSeenAt", ${distance} as distance
        from memories where ${visible} and embedding_dims = ${dims}
          and (search @@ ${anyTopicWord(text)} or 1 - (${distance}) >= ${minScore})
        order by ${distance} limit ${limit})
      select id, content, kind, source, "createdAt", importance, "lastSeenAt", 1 - distance as score from hits order by distance`;
    if (this.iterativeScan === false) return rowsOf<RecalledMemory>(await this.db.execute(query)).map(normalise);
    try {
      // HNSW finds ef_search (40) nearest rows of every scope, then filters: without an
      // iterative scan (pgvector >= 0.8) a speaker's few visible memories can be missed.
      const rows = await this.db.transaction(async (tx) => {
        await tx.execute(sql`set local hnsw.iterative_scan = relaxed_order`);
        return rowsOf<RecalledMemory>(await tx.execute(query));
      });
      this.iterativeScan = true;
      return rows.map(normalise);
    } catch (error) {
      if (this.iterativeScan === true) throw error;
      this.iterativeScan = false;
      return rowsOf<RecalledMemory>(await this.db.execute(query)).map(normalise);
    }
  }

  private async recallByText(visible: SQL, text: string, limit: number): Promise<RecalledMemory[]> {
    const tsquery = anyTopicWord(text);
    const query = sql`select id, content, kind, source, created_at as "createdAt", importance, last_seen_at as "lastSeenAt", ts_rank(search, ${tsquery}) as score
      from memories where ${visible} and search @@ ${tsquery}
      order by score desc, importance desc limit ${limit}`;
    return rowsOf<RecalledMemory>(await this.db.execute(query)).map(normalise);
  }

  /**
   * Refreshes planner statistics. PGlite runs no autovacuum, and without
   * statistics the planner sorts every row instead of walking the HNSW index
   * (80 ms instead of 5 ms at 10k memories).
   */
  async analyze(): Promise<void> {
    this.writesSinceAnalyze = 0;
    await this.db.execute(sql`analyze memories`);
  }

  /** After an import: an index for every vector size present. */
  async ensureVectorIndexes(): Promise<void> {
    if (!this.vector) return;
    const sizes = rowsOf<{ dims: number }>(await this.db.execute(sql`select distinct embedding_dims as dims from memories where embedding_dims is not null`));
    for (const { dims } of sizes) await this.ensureVectorIndex(Number(dims));
  }

  /**
   * pgvector's HNSW takes at most 2,000 dimensions; larger vectors are stored
   * and recalled by a scan instead of failing the write.
   */
  private async ensureVectorIndex(dims: number): Promise<void> {
    if (this.indexedDims.has(dims)) return;
    if (dims <= 2_000) {
      await this.db.execute(
        sql.raw(
          `create index if not exists memories_embedding_hnsw_${dims} on memories using hnsw ((embedding::vector(${dims})) vector_cosine_ops) where embedding_dims = ${dims}`,
        ),
      );
    }
    this.indexedDims.add(dims);
  }
}

/** plainto_tsquery ANDs every word; recall wants any word, ranked. */
function anyWord(text: string): SQL {
  return sql`to_tsquery('english', replace(plainto_tsquery('english', ${text})::text, '&', '|'))`;
}

/**
 * What a memory must share with a recall query to be relevant: any of its
 * topic words, or any word at all when it has none (topicWords). A shared
 * "run" alone does not make Postgres the answer to a Kubernetes question.
 */
export function anyTopicWord(text: string): SQL {
  const topic = anyWord(topicWords(text));
  return sql`(case when numnode(${topic}) > 0 then ${topic} else ${anyWord(text)} end)`;
}

function normalise(row: RecalledMemory): RecalledMemory {
  return { ...row, score: Number(row.score), importance: Number(row.importance), createdAt: new Date(row.createdAt), lastSeenAt: new Date(row.lastSeenAt) };
}
