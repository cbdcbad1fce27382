import { contextOf } from '../../core/contextOf.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { ApiKeyStore } from '../../core/auth/apiKeys.js';
import { openDatabase } from '../../core/db/openDatabase.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { packageRoot } from '../../core/paths.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

/** A real full disk: a small tmpfs (needs root and mount). */
function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}
const root = mkdtempSync(join(tmpdir(), 'council-disk-'));
const canMount = process.getuid?.() === 0 && mountTmpfs(join(root, 'probe'), '1m') && spawnSync('umount', [join(root, 'probe')]).status === 0;

// CI runs as root on a machine that can mount: there the full-disk tests must run, never skip quietly.
it.runIf(process.env.CI)('can mount a small tmpfs for the full-disk tests (CI)', () => expect(canMount).toBe(true));

describe.skipIf(!canMount)('PGlite on a full disk (tmpfs)', () => {
  const disk = join(root, 'disk');
  const filler = join(disk, 'filler');
  let fake: Awaited<ReturnType<typeof startFakeOllama>>;
  let tc: TestCouncil;
  let app: ReturnType<typeof createControlApp>;
  let key: string;

  beforeAll(async () => {
    mountTmpfs(disk, '96m');
    fake = await startFakeOllama();
    tc = await openTestCouncil({ ollamaUrl: fake.url, dataDir: join(disk, 'data') });
    const log = createLogger('silent');
    app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
    key = (await new ApiKeyStore(contextOf(tc.council).database.db).create('disk')).key;
  });
  afterAll(async () => {
    await tc?.close().catch(() => {});
    await fake?.stop();
    spawnSync('umount', ['-l', disk]);
    rmSync(root, { recursive: true, force: true });
  });

  const chat = (message: string) =>
    app.request('/v1/agents/cto/chat', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ message, session: 'disk' }) });

  it('fails writes with one clear line, keeps reads and health, and recovers when space returns', { timeout: 120_000 }, async () => {
    expect((await chat('before the disk fills')).status).toBe(200);
    try {
      writeFileSync(filler, Buffer.alloc(200 * 1024 * 1024));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    // Small rows still fit in pages already on disk; rows that need new pages fail. Incompressible text gets there fast.
    let full: Response | undefined;
    for (let attempt = 0; attempt < 40 && !full; attempt++) {
      const response = await chat(randomBytes(6_000).toString('base64'));
      if (response.status !== 200) full = response;
    }
    expect(full?.status).toBe(503);
    if (!full) return;
    const body = (await full.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('database_error');
    // A client is told the disk is full, not where the data lives; the operator's line (CLI, log, /readyz) names DATA_DIR.
    expect(body.error.message).toContain('no space left in the data folder');
    expect(body.error.message).not.toContain(disk);
    expect(body.error.message).not.toMatch(/Failed query|insert into|params/);

    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/v1/meetings?limit=5', { headers: { authorization: `Bearer ${key}` } })).status).toBeLessThan(500);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    const checks = ((await ready.json()) as { checks: Array<{ name: string; ok: boolean; problem?: string }> }).checks;
    expect(checks.find((c) => c.name === 'database')?.ok).toBe(true);
    expect(checks.find((c) => c.name === 'database writes')).toMatchObject({ ok: false, problem: expect.stringContaining('no space left in DATA_DIR') });

    rmSync(filler);
    expect((await chat('after space came back')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
  });

  // The compiled package creates the database in a child process; the sources (this runner) in-process: both must name DATA_DIR.
  it.each([
    ['in-process', async () => openDatabase],
    ['in a child process (built package)', async () => (await import(pathToFileURL(join(packageRoot, 'dist', 'core', 'db', 'openDatabase.js')).href)).openDatabase as typeof openDatabase],
  ])('says "no space left in DATA_DIR" when the folder is too small to create the database (%s)', { timeout: 120_000 }, async (how, load) => {
    const open = await load();
    const small = join(root, `small-${how.length}`);
    mountTmpfs(small, '8m');
    try {
      const error = await open({ dataDir: join(small, 'data') }).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(`no space left in DATA_DIR ${join(small, 'data')}`);
      expect((error as Error).message).not.toContain('[object Object]');
    } finally {
      execFileSync('umount', ['-l', small]);
    }
  });
});
