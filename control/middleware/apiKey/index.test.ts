import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../../core/auth/apiKeys.js';
import { openDatabase } from '../../../core/db/openDatabase.js';
import type { Database } from '../../../core/db/database.js';
import type { ControlEnv } from '../../types.js';
import { failedLoginLimiter } from '../rateLimit/index.js';
import { apiKeyAuth } from './index.js';

let dir: string;
let database: Database;
let keys: ApiKeyStore;
let app: Hono<ControlEnv>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'council-apikey-'));
  database = await openDatabase({ dataDir: dir });
  keys = new ApiKeyStore(database.db);
  app = new Hono<ControlEnv>()
    .use('/v1/*', apiKeyAuth({ keys, limiter: failedLoginLimiter(), trustProxy: false, open: ['/v1/openapi.json'] }))
    .get('/v1/whoami', (c) => c.json(c.get('caller')))
    .get('/v1/openapi.json', (c) => c.json({ open: true }));
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, key?: string) => app.request(path, key === undefined ? {} : { headers: { authorization: `Bearer ${key}` } });

describe('apiKey middleware', () => {
  it('answers 401 without a key, saying which header and how to get a key', async () => {
    const res = await get('/v1/whoami');
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toContain('Authorization: Bearer');
    expect(body.error.message).toContain('council keys create');
  });

  it('sets the caller for a good key, refuses it once revoked, and never stores the key itself', async () => {
    const created = await keys.create('ci-bot');
    const ok = await get('/v1/whoami', created.key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ownerId: `key:${created.id}`, keyId: created.id, name: 'ci-bot', guildId: null, placeId: null });
    const [listed] = await keys.list();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed?.lastUsedAt).not.toBeNull();
    await keys.revoke('ci-bot');
    const revoked = await get('/v1/whoami', created.key);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: { message: string } }).error.message).toContain('revoked');
    expect((await get('/v1/whoami', `${created.key.slice(0, -1)}x`)).status).toBe(401);
  });

  it('takes a lookup the database answers with no row at all for a fault (503), not for an unknown key (401)', async () => {
    const created = await keys.create('restart-bot');
    // What a driver gave once during a Postgres restart: an empty result for a query that always returns one row.
    const answersNothing = { select: () => ({ from: () => ({ leftJoin: async () => [] }) }) } as unknown as Database['db'];
    await expect(new ApiKeyStore(answersNothing).verify(created.key)).rejects.toMatchObject({ code: 'database_error' });
    expect(await keys.verify('council_nosuchkey')).toBeNull();
    expect(await keys.verify(created.key)).toEqual({ id: created.id, name: 'restart-bot' });
  });

  it('leaves open paths open', async () => {
    expect((await get('/v1/openapi.json')).status).toBe(200);
  });
});
