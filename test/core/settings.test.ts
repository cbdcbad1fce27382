import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNdjsonLine } from '../../core/backup/exportData.js';
import { CouncilError } from '../../core/errors.js';
import { adminCaller, cliCaller, discordCaller } from '../../core/memory/scope.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { waitFor } from '../support/waitFor.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;

const guild = '900000000000000001';
const category = '900000000000000002';
const channel = '900000000000000003';
const thread = '900000000000000004';
const place = { threadId: thread, channelId: channel, categoryId: category };
const member = (extra: { manageServer?: boolean; manageChannels?: boolean; roleIds?: string[]; userId?: string } = {}) =>
  discordCaller({ userId: extra.userId ?? '800000000000000001', name: 'Ana', guildId: guild, placeId: thread, place, ...extra });
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CouncilError);
  return error as CouncilError;
};

beforeAll(async () => {
  fake = await startFakeOllama({ models: ['llama3.2', 'qwen3:14b', { name: 'nomic-embed-text', kind: 'embedding' }] });
  tc = await openTestCouncil({ ollamaUrl: fake.url });
});
afterAll(async () => {
  await tc?.dispose();
  await fake?.stop();
});

describe('settings per place', () => {
  it('a thread inherits from its channel, the channel from its category and guild, each value naming where it comes from', async () => {
    const { settings } = tc.council;
    await settings.set('guild', guild, { replyMode: 'ambient', listening: true, blockUsers: ['800000000000000009'] }, adminCaller);
    await settings.set('category', category, { model: 'qwen3:14b' }, adminCaller, { guild });
    await settings.set('channel', channel, { replyMode: 'off', blockUsers: ['800000000000000008'] }, adminCaller, { guild, category });
    await settings.set('thread', thread, { defaultColleague: 'Sofia Rossi' }, adminCaller, { guild, category, channel });
    const here = await settings.at(member());
    expect(here.values).toMatchObject({ replyMode: 'off', listening: true, model: 'qwen3:14b', defaultColleague: 'qa_engineer', blockUsers: ['800000000000000008', '800000000000000009'] });
    expect(here.sources).toMatchObject({ replyMode: ['channel'], listening: ['guild'], model: ['category'], defaultColleague: ['thread'], blockUsers: ['channel', 'guild'], maxPerUser: ['default'] });
    // REST and the CLI name only the place: the levels above it come from what was stored.
    const shown = await settings.show('thread', thread, adminCaller);
    expect(shown.own).toEqual({ defaultColleague: 'qa_engineer' });
    expect(shown.effective.values).toMatchObject({ replyMode: 'off', model: 'qwen3:14b', listening: true });
    const atChannel = await settings.show('channel', channel, adminCaller);
    expect(atChannel.effective.values.defaultColleague).toBeNull();
  });

  it('null clears a key, reset clears keys, and the place inherits again', async () => {
    const { settings } = tc.council;
    await settings.set('channel', channel, { replyMode: null }, adminCaller);
    expect((await settings.at(member())).values.replyMode).toBe('ambient');
    await settings.reset('thread', thread, ['defaultColleague'], cliCaller('ops'));
    expect((await settings.show('thread', thread, adminCaller)).own).toEqual({});
  });

  it('refuses unknown keys, bad values, unknown colleagues and models the backends lack, one line each, changing nothing', async () => {
    const { settings } = tc.council;
    const before = (await settings.show('channel', channel, adminCaller)).own;
    expect((await refusal(settings.set('channel', channel, { replyMode: 'ambient', colour: 'blue' }, adminCaller))).message).toMatch(/^unknown setting "colour"; the settings are replyMode, colleagues/);
    expect((await refusal(settings.set('channel', channel, { replyMode: 'loud' }, adminCaller))).message).toMatch(/^replyMode: /);
    expect((await refusal(settings.set('channel', channel, { colleagues: ['cto', 'no_such_person'] }, adminCaller))).code).toBe('unknown_agent');
    const model = await refusal(settings.set('channel', channel, { models: { cto: 'mixtral:8x22b' } }, adminCaller));
    expect(model.message).toBe(`Ollama at ${fake.url} does not have mixtral:8x22b; run: ollama pull mixtral:8x22b`);
    expect((await refusal(settings.set('nowhere' as never, channel, {}, adminCaller))).message).toMatch(/^unknown scope "nowhere"/);
    expect((await settings.show('channel', channel, adminCaller)).own).toEqual(before);
  });

  it('a Discord member changes their own place only, with Manage Server for the server and categories, Manage Channels for channels and threads; every change is audited', async () => {
    const { settings } = tc.council;
    expect((await refusal(settings.set('channel', channel, { listening: false }, member()))).message).toBe('changing the settings of a channel needs Manage Channels');
    expect((await refusal(settings.set('guild', guild, { listening: false }, member({ manageChannels: true })))).message).toBe('changing the settings of the server needs Manage Server');
    expect((await refusal(settings.set('channel', '900000000000000099', { listening: false }, member({ manageChannels: true })))).code).toBe('forbidden');
    await settings.set('channel', channel, { listening: false }, member({ manageChannels: true }));
    await settings.set('category', category, { maxPerUser: 3 }, member({ manageServer: true }));
    const audit = await tc.council.audit.list();
    expect(audit.find((a) => a.action === 'settings.set' && a.target === `channel:${channel}`)).toMatchObject({ actor: 'discord:800000000000000001', detail: { changes: { listening: false } } });
    expect(audit.filter((a) => a.action === 'settings.reset')).toHaveLength(1);
  });

  it('refuses a blocked person and a colleague not allowed here, naming why in details.refusal', async () => {
    const { settings } = tc.council;
    await settings.set('channel', channel, { colleagues: ['cto', 'qa_engineer'], allowRoles: ['700000000000000001'] }, adminCaller);
    expect((await refusal(settings.admit(member({ userId: '800000000000000009' })))).details).toEqual({ refusal: 'blocked' });
    expect((await refusal(settings.admit(member()))).details).toEqual({ refusal: 'not_allowed' });
    const allowed = member({ roleIds: ['700000000000000001'] });
    expect((await settings.admit(allowed, ['cto'])).values.colleagues).toEqual(['cto', 'qa_engineer']);
    const disabled = await refusal(settings.admit(allowed, ['backend_developer']));
    expect(disabled.details).toEqual({ refusal: 'colleague_disabled' });
    expect(disabled.message).toContain('not available here');
    await settings.reset('channel', channel, ['colleagues', 'allowRoles'], adminCaller);
  });

  it('travels in export and import', async () => {
    let text = '';
    for await (const record of tc.council.exportData()) text += toNdjsonLine(record);
    expect(text).toContain('"type":"setting"');
    const fresh = await openTestCouncil({ ollamaUrl: fake.url });
    try {
      const result = await fresh.council.importNdjson(text);
      expect(result.settings).toBeGreaterThanOrEqual(3);
      expect((await fresh.council.settings.show('category', category, adminCaller)).own).toEqual({ model: 'qwen3:14b', maxPerUser: 3 });
    } finally {
      await fresh.dispose();
    }
  });
});

describe.runIf(hasPostgres)('settings across processes on one Postgres', () => {
  it('a change made in one process is seen in another without a restart, before its cache would have expired', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    const a = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url });
    const b = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url });
    try {
      const where = discordCaller({ userId: '800000000000000001', name: 'Ana', guildId: guild, placeId: channel, place: { threadId: null, channelId: channel, categoryId: null } });
      // B reads (and caches) the place first; only the signal can make it read again within 30 s.
      expect((await b.council.settings.at(where)).values.replyMode).toBe('mentions');
      await a.council.settings.set('channel', channel, { replyMode: 'ambient' }, adminCaller, { guild });
      await waitFor('process B to see the change', async () => (await b.council.settings.at(where)).values.replyMode === 'ambient', 10_000);

      // Settings restored by an import on A reach B's cache the same way.
      const elsewhere = discordCaller({ userId: '800000000000000001', name: 'Ana', guildId: guild, placeId: '900000000000000077', place: { threadId: null, channelId: '900000000000000077', categoryId: null } });
      expect((await b.council.settings.at(elsewhere)).values.replyMode).toBe('mentions');
      const record = { type: 'setting', v: 2, scope: 'channel', placeId: '900000000000000077', guildId: guild, parentId: null, values: { replyMode: 'off' }, updatedBy: 'cli:ops', updatedAt: new Date().toISOString() };
      expect((await a.council.importNdjson(`${JSON.stringify(record)}\n`)).settings).toBe(1);
      await waitFor('process B to see the imported setting', async () => (await b.council.settings.at(elsewhere)).values.replyMode === 'off', 10_000);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
