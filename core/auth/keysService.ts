import type { Caller } from '../memory/scope.js';
import type { ApiKeyStore, ApiKeySummary, VerifiedKey } from './apiKeys.js';
import type { AuditLog } from './auditLog.js';

/** API keys for /v1: made and revoked by an operator, each change audited; verified on every request. */
export class KeysService {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly audit: AuditLog,
  ) {}

  /** The key itself is in the answer once and never stored. */
  async create(name: string, by: Caller): Promise<{ id: string; name: string; key: string }> {
    const created = await this.store.create(name);
    await this.audit.record({ actor: by.ownerId, action: 'key.create', target: `key:${created.id}`, rows: 1, detail: { name: created.name } });
    return created;
  }

  list(): Promise<ApiKeySummary[]> {
    return this.store.list();
  }

  async revoke(idOrName: string, by: Caller): Promise<ApiKeySummary> {
    const revoked = await this.store.revoke(idOrName);
    await this.audit.record({ actor: by.ownerId, action: 'key.revoke', target: `key:${revoked.id}`, rows: 1, detail: { name: revoked.name } });
    return revoked;
  }

  verify(key: string): Promise<VerifiedKey | null> {
    return this.store.verify(key);
  }
}
