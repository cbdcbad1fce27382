import { desc } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { audit } from '../db/schema.js';
import type { Logger } from '../log.js';

export interface AuditEntry {
  /** Who: `admin` (the admin token), `discord:<user>`, `cli:<osUser>`. */
  actor: string;
  /** What: memories.clear, guild.clear, user.forget, data.import, key.create, key.revoke. */
  action: string;
  target?: string | null;
  rows: number;
  detail?: Record<string, unknown>;
}

/** Admin actions that delete or import data: a row in `audit` and a log line each. */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(audit).values({ actor: entry.actor, action: entry.action, target: entry.target ?? null, rows: entry.rows, detail: entry.detail ?? null });
    this.log.warn({ audit: { actor: entry.actor, action: entry.action, target: entry.target ?? null, rows: entry.rows, ...entry.detail } }, `audit: ${entry.action}`);
  }

  list(limit = 100) {
    return this.db.select().from(audit).orderBy(desc(audit.at)).limit(Math.min(1000, Math.max(1, limit)));
  }
}
