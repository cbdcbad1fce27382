import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { apiKeys } from '../db/schema.js';
import { CouncilError } from '../errors.js';

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface VerifiedKey {
  id: string;
  name: string;
}

const keyPrefix = 'council_';
const namePattern = /^[\w.@-]{1,64}$/;

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * API keys for /v1. A key is 32 random bytes shown once at creation; only its
 * sha256 is stored (a 256-bit random secret needs no slow hash), with its first
 * characters so people can tell keys apart.
 */
export class ApiKeyStore {
  constructor(private readonly db: Db) {}

  async create(name: string): Promise<{ id: string; name: string; key: string }> {
    const clean = name.trim();
    if (!namePattern.test(clean)) throw new CouncilError('bad_usage', `key name "${name.slice(0, 80)}" must be 1-64 letters, digits or . _ @ -`);
    const key = `${keyPrefix}${randomBytes(32).toString('base64url')}`;
    const rows = await this.db
      .insert(apiKeys)
      .values({ name: clean, prefix: key.slice(0, keyPrefix.length + 6), hash: hashKey(key) })
      .onConflictDoNothing()
      .returning({ id: apiKeys.id });
    const row = rows[0];
    if (!row) throw new CouncilError('bad_usage', `a key named "${clean}" already exists; revoke it first or pick another name`);
    return { id: row.id, name: clean, key };
  }

  list(): Promise<ApiKeySummary[]> {
    return this.db
      .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .orderBy(asc(apiKeys.createdAt));
  }

  /** Revokes the active key with this id or name; unknown ones are a not-found error. */
  async revoke(idOrName: string): Promise<ApiKeySummary> {
    const byId = /^[0-9a-f-]{36}$/i.test(idOrName) ? eq(apiKeys.id, idOrName) : undefined;
    const match = byId ? or(byId, eq(apiKeys.name, idOrName)) : eq(apiKeys.name, idOrName);
    const [row] = await this.db
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(match, isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt });
    if (!row) throw new CouncilError('unknown_key', `no active API key "${idOrName.slice(0, 80)}"; \`council keys list\` shows them`);
    return row;
  }

  /** The key's id and name when it exists and is not revoked; marks it used (at most once a minute). */
  async verify(key: string): Promise<VerifiedKey | null> {
    if (!key.startsWith(keyPrefix)) return null;
    // Always one row, with nulls for no such key: an empty answer is then a fault on the way (seen once in ~2,500
    // chats across Postgres restarts, answered 401), and the caller gets a retryable 503 instead of losing its key.
    const [found] = await this.db
      .select({ id: apiKeys.id, name: apiKeys.name })
      .from(sql`(select 1) as one`)
      .leftJoin(apiKeys, and(eq(apiKeys.hash, hashKey(key)), isNull(apiKeys.revokedAt)));
    if (!found) throw new CouncilError('database_error', 'the database gave no answer to the API key lookup; try again shortly');
    if (found.id === null || found.name === null) return null;
    const row = { id: found.id, name: found.name };
    await this.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), sql`${apiKeys.lastUsedAt} < now() - interval '1 minute'`)));
    return row;
  }

  /** The tools an admin gave this key, pinned; none when unset or revoked. */
  async tools(id: string): Promise<string[]> {
    // An owner id that names no key (imported, hand-made) has no tools, rather than failing the query.
    if (!/^[0-9a-f-]{36}$/i.test(id)) return [];
    const [row] = await this.db.select({ tools: apiKeys.tools }).from(apiKeys).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
    return row?.tools ?? [];
  }

  /** Sets the tools of the active key with this id or name (an empty list takes them all away). */
  async setTools(idOrName: string, tools: string[]): Promise<{ id: string; name: string; tools: string[] }> {
    const byId = /^[0-9a-f-]{36}$/i.test(idOrName) ? eq(apiKeys.id, idOrName) : undefined;
    const match = byId ? or(byId, eq(apiKeys.name, idOrName)) : eq(apiKeys.name, idOrName);
    const [row] = await this.db
      .update(apiKeys)
      .set({ tools: tools.length > 0 ? tools : null })
      .where(and(match, isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name });
    if (!row) throw new CouncilError('unknown_key', `no active API key "${idOrName.slice(0, 80)}"; \`council keys list\` shows them`);
    return { ...row, tools };
  }
}
