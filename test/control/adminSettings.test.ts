import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { runCliForTest } from '../support/runCliForTest.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
const adminToken = 'test-admin-token-0123456789abcdef';
const guild = '910000000000000001';
const channel = '910000000000000002';
const thread = '910000000000000003';

/** Test-side reading of JSON bodies, whose shape each assertion checks. */
const json = (res: Response): Promise<any> => res.json();
const put = (path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request(path, { method: 'PUT', body: JSON.stringify(body), headers: { authorization: `Bearer ${adminToken}`, ...headers } });
const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${adminToken}` } });

beforeAll(async () => {
  fake = await startFakeOllama({ models: ['llama3.2', 'qwen3:14b', { name: 'nomic-embed-text', kind: 'embedding' }] });
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken } });
  const log = createLogger('silent');
  app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
});
afterAll(async () => {
  await tc?.dispose();
  await fake?.stop();
});

describe('GET|PUT /admin/settings/{scope}/{id}', () => {
  it('sets keys partially, clears one with null, and shows what is in force with where it comes from', async () => {
    expect((await put(`/admin/settings/guild/${guild}`, { replyMode: 'ambient', models: { qa_engineer: 'qwen3:14b' } })).status).toBe(200);
    const set = await put(`/admin/settings/channel/${channel}?guild=${guild}`, { replyMode: 'off', listening: true });
    expect(set.status).toBe(200);
    expect((await json(set)).own).toEqual({ replyMode: 'off', listening: true });
    await put(`/admin/settings/thread/${thread}?channel=${channel}`, { defaultColleague: 'cto' });

    const shown = await json(await get(`/admin/settings/thread/${thread}`));
    expect(shown).toMatchObject({ scope: 'thread', id: thread, guildId: guild, own: { defaultColleague: 'cto' } });
    expect(shown.effective.values).toMatchObject({ replyMode: 'off', listening: true, defaultColleague: 'cto', models: { qa_engineer: 'qwen3:14b' } });
    expect(shown.effective.sources).toMatchObject({ replyMode: ['channel'], listening: ['channel'], defaultColleague: ['thread'], models: ['guild'], colleagues: ['default'] });

    const cleared = await json(await put(`/admin/settings/channel/${channel}`, { replyMode: null }));
    expect(cleared.own).toEqual({ listening: true });
    expect(cleared.effective.values.replyMode).toBe('ambient');
  });

  it('answers 400 naming an unknown key or a bad value, 404 for an unknown colleague, 415 without JSON, and changes nothing', async () => {
    const before = await json(await get(`/admin/settings/channel/${channel}`));
    const unknown = await put(`/admin/settings/channel/${channel}`, { listening: false, theme: 'dark' });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error).toMatchObject({ code: 'bad_usage', message: expect.stringMatching(/^unknown setting "theme"; the settings are replyMode/) });
    const bad = await put(`/admin/settings/channel/${channel}`, { maxPerUser: 0 });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/^maxPerUser: /);
    expect((await put(`/admin/settings/channel/${channel}`, { colleagues: ['nobody_here'] })).status).toBe(404);
    const model = await put(`/admin/settings/channel/${channel}`, { model: 'mixtral:8x22b' });
    expect(model.status).toBe(400);
    expect((await json(model)).error.message).toContain('ollama pull mixtral:8x22b');
    expect((await put(`/admin/settings/nowhere/${channel}`, { listening: false })).status).toBe(400);
    expect((await put(`/admin/settings/channel/${channel}`, { listening: false }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await json(await get(`/admin/settings/channel/${channel}`))).own).toEqual(before.own);
  });

  it('needs the admin token, and audits every change as the admin', async () => {
    expect((await app.request(`/admin/settings/channel/${channel}`)).status).toBe(401);
    const audit = await json(await get('/admin/audit'));
    expect(audit.filter((a: { action: string; actor: string }) => a.action === 'settings.set' && a.actor === 'admin').length).toBeGreaterThanOrEqual(4);
  });
});

describe('council settings show|set|reset', () => {
  it('shows, sets and resets a place from the terminal, as JSON too, with one line for a mistake', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'council-settings-cli-'));
    const env = { DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url };
    try {
      const set = await runCliForTest(['settings', 'set', 'channel', channel, 'colleagues', 'cto,', 'Sofia Rossi', '--guild', guild], env);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('set here: colleagues');
      expect(set.stdout).toMatch(/colleagues\s+\["cto","qa_engineer"\]\s+\(channel\)/);
      const shown = await runCliForTest(['settings', 'show', 'channel', channel, '--json'], env);
      expect(JSON.parse(shown.stdout)).toMatchObject({ guildId: guild, own: { colleagues: ['cto', 'qa_engineer'] } });
      const wrong = await runCliForTest(['settings', 'set', 'channel', channel, 'replyMode', 'loud'], env);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrong.stderr).toContain('replyMode');
      const reset = await runCliForTest(['settings', 'reset', 'channel', channel, '--all', '--json'], env);
      expect(JSON.parse(reset.stdout).own).toEqual({});
      expect((await runCliForTest(['settings', 'frobnicate', 'channel', channel], env)).code).toBe(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
