import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { rowsOf } from '../db/rows.js';
import { memories } from '../db/schema.js';
import { metrics } from '../metrics.js';

export type MemoryKind = 'fact' | 'preference' | 'summary' | 'decision' | 'note';

export interface NewMemory {
  agentId: string;
  content: string;
  kind: MemoryKind;
  importance: number;
  userId?: string | null;
  subject?: string | null;
  embedding?: number[] | null;
  embeddingModel?: string | null;
}

const analyzeEvery = 1000;

export interface RecalledMemory {
  id: string;
  content: string;
  kind: string;
  score: number;
}

/**
 * Long-term memories. Recall ranks by cosine distance through pgvector's HNSW
 * index where the database has pgvector, else by full-text rank; the index for
 * a vector size is made the first time a memory of that size is stored.
 */
export class MemoryStore {
  private readonly indexedDims = new Set<number>();
  private writesSinceAnalyze = 0;

  constructor(
    private readonly db: Db,
    private readonly vector: boolean,
  ) {}

  get usesVectors(): boolean {
    return this.vector;
  }

  async add(memory: NewMemory): Promise<string> {
    const dims = memory.embedding?.length ?? null;
    if (dims && this.vector) await this.ensureVectorIndex(dims);
    const [row] = await this.db
      .insert(memories)
      .values({
        agentId: memory.agentId,
        content: memory.content,
        kind: memory.kind,
        importance: memory.importance,
        userId: memory.userId ?? null,
        subject: memory.subject ?? null,
        embedding: memory.embedding ?? null,
        embeddingDims: dims,
        embeddingModel: memory.embeddingModel ?? null,
      })
      .returning({ id: memories.id });
    metrics.memoriesWritten.inc({ kind: memory.kind });
    if (++this.writesSinceAnalyze >= analyzeEvery) await this.analyze();
    if (!row) throw new Error('memory insert returned nothing');
    return row.id;
  }

  /** The `limit` memories of `agentId` most like the query, visible to `userId` (theirs and team-wide ones). */
  async recall(options: { agentId: string; userId?: string | null; text: string; embedding?: number[] | null; limit?: number }): Promise<RecalledMemory[]> {
    const limit = options.limit ?? 5;
    const visible = this.visibleTo(options.agentId, options.userId ?? null);
    const embedding = options.embedding;
    const rows =
      this.vector && embedding && embedding.length > 0
        ? await this.recallByVector(visible, embedding, limit)
        : await this.recallByText(visible, options.text, limit);
    if (rows.length > 0) {
      const ids = sql.join(rows.map((row) => sql`${row.id}::uuid`), sql`, `);
      await this.db.execute(sql`update memories set access_count = access_count + 1, last_accessed_at = now() where id in (${ids})`);
    }
    return rows;
  }

  async list(options: { agentId?: string; query?: string; limit?: number } = {}) {
    const conditions: SQL[] = [];
    if (options.agentId) conditions.push(eq(memories.agentId, options.agentId));
    if (options.query) conditions.push(sql`${memories.content} ilike ${'%' + options.query + '%'}`);
    return this.db
      .select({
        id: memories.id,
        agentId: memories.agentId,
        userId: memories.userId,
        subject: memories.subject,
        kind: memories.kind,
        content: memories.content,
        importance: memories.importance,
        accessCount: memories.accessCount,
        createdAt: memories.createdAt,
        lastAccessedAt: memories.lastAccessedAt,
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

  private visibleTo(agentId: string, userId: string | null): SQL {
    const owner = userId ? or(isNull(memories.userId), eq(memories.userId, userId)) : isNull(memories.userId);
    return and(eq(memories.agentId, agentId), owner) as SQL;
  }

  private async recallByVector(visible: SQL, embedding: number[], limit: number): Promise<RecalledMemory[]> {
    const dims = embedding.length;
    const literal = `[${embedding.join(',')}]`;
    // The cast expression must match the index expression exactly for the planner to use HNSW.
    const distance = sql.raw(`(embedding::vector(${dims}))`);
    const query = sql`select id, content, kind, 1 - (${distance} <=> ${literal}::vector(${sql.raw(String(dims))})) as score
      from memories where ${visible} and embedding_dims = ${sql.raw(String(dims))}
      order by ${distance} <=> ${literal}::vector(${sql.raw(String(dims))}) limit ${limit}`;
    return rowsOf<RecalledMemory>(await this.db.execute(query)).map((row) => ({ ...row, score: Number(row.score) }));
  }

  private async recallByText(visible: SQL, text: string, limit: number): Promise<RecalledMemory[]> {
    // plainto_tsquery ANDs every word; recall wants any word, ranked.
    const tsquery = sql`to_tsquery('english', replace(plainto_tsquery('english', ${text})::text, '&', '|'))`;
    const query = sql`select id, content, kind, ts_rank(search, ${tsquery}) as score
      from memories where ${visible} and search @@ ${tsquery}
      order by score desc, importance desc limit ${limit}`;
    return rowsOf<RecalledMemory>(await this.db.execute(query)).map((row) => ({ ...row, score: Number(row.score) }));
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

  private async ensureVectorIndex(dims: number): Promise<void> {
    if (this.indexedDims.has(dims)) return;
    await this.db.execute(
      sql.raw(
        `create index if not exists memories_embedding_hnsw_${dims} on memories using hnsw ((embedding::vector(${dims})) vector_cosine_ops) where embedding_dims = ${dims}`,
      ),
    );
    this.indexedDims.add(dims);
  }
}
