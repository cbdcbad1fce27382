import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { discordCaller } from '../../core/memory/scope.js';
import { scriptExtraction, startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { waitFor } from '../support/waitFor.js';

/**
 * People see and change what is kept: a key lists, reads, rewrites and
 * forgets its own memories and asks why an answer said what it said, and sees
 * nothing of another key's; Discord callers are held to the same core rules.
 */
let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
const keys: Record<'a' | 'b', { key: string; id: string }> = { a: { key: '', id: '' }, b: { key: '', id: '' } };
const adminToken = 'memory-routes-admin-token-0123456789';
const script = scriptExtraction();

const as = (who: 'a' | 'b', path: string, init: RequestInit = {}) =>
  app.request(path, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[who].key}`, ...(init.headers as Record<string, string> | undefined) } });

beforeAll(async () => {
  fake = await startFakeOllama();
  fake.setResponder(script.responder);
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken } });
  const log = createLogger('silent');
  app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
  for (const who of ['a', 'b'] as const) {
    const created = await app.request('/admin/keys', { method: 'POST', body: JSON.stringify({ name: `key-${who}` }), headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } });
    keys[who] = (await created.json()) as { key: string; id: string };
  }
});
afterAll(async () => {
  await tc.dispose();
  await fake.stop();
});

const chat = async (who: 'a' | 'b', message: string, session: string) => {
  const res = await as(who, '/v1/agents/cto/chat', { method: 'POST', body: JSON.stringify({ message, session }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { messageId: string; reply: string };
};
const list = async (who: 'a' | 'b') => (await (await as(who, '/v1/memories')).json()) as Array<{ id: string; content: string; kind: string }>;

describe('memories over REST and in core', () => {
  let memoryId = '';

  it("lists a key's own memories, and why an answer used them, and nothing of another key's", async () => {
    script.push(JSON.stringify({ memories: [{ text: 'The billing service runs on Postgres 16', kind: 'fact', relation: 'new' }] }));
    await chat('a', 'Our billing service runs on Postgres 16', 's1');
    const mine = await waitFor('the memory of key a', async () => {
      const rows = await list('a');
      return rows.length > 0 && rows;
    });
    memoryId = mine[0]!.id;
    expect(mine.map((m) => m.content)).toEqual(['The billing service runs on Postgres 16']);
    expect(await list('b')).toEqual([]);

    const answer = await chat('a', 'Which Postgres does billing run on?', 's2');
    const why = (await (await as('a', `/v1/messages/${answer.messageId}/memories`)).json()) as { memories: Array<{ id: string; ownerId: string; createdAt: string }>; hidden: number };
    expect(why.memories.map((m) => m.id)).toEqual([memoryId]);
    expect(why.memories[0]!.ownerId).toBe(`key:${keys.a.id}`);
    const other = (await (await as('b', `/v1/messages/${answer.messageId}/memories`)).json()) as { memories: unknown[]; hidden: number };
    expect(other).toMatchObject({ memories: [], hidden: 1 });
    expect((await as('b', `/v1/memories/${memoryId}`)).status).toBe(404);
  });

  it('edits and forgets only what the key said, each change audited', async () => {
    expect((await as('b', `/v1/memories/${memoryId}`, { method: 'PATCH', body: JSON.stringify({ content: 'Billing runs on MySQL' }) })).status).toBe(404);
    const edited = await as('a', `/v1/memories/${memoryId}`, { method: 'PATCH', body: JSON.stringify({ content: 'The billing service runs on Postgres 17' }) });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { content: string }).content).toBe('The billing service runs on Postgres 17');
    expect((await as('a', `/v1/memories/${memoryId}`, { method: 'DELETE' })).status).toBe(200);
    expect(await list('a')).toEqual([]);
    const audit = await tc.council.audit.list(20);
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['memory.edit', 'memory.forget']));
  });

  it('in Discord, the person it is about or a Manage Server member may change a channel memory; another member may only see it', async () => {
    const place = { guildId: 'g1', placeId: 'c1' };
    const ana = discordCaller({ userId: 'ana', name: 'Ana', ...place });
    const bob = discordCaller({ userId: 'bob', name: 'Bob', ...place });
    const boss = { ...discordCaller({ userId: 'boss', name: 'Boss', ...place }), manager: true };
    await waitFor('the earlier answers extracted', () => script.requests.length === 2);
    script.push(JSON.stringify({ memories: [{ text: 'The team deploys on Tuesdays', kind: 'fact' }] }));
    await tc.council.chatWithAgent('cto', 'We deploy on Tuesdays', { caller: ana, scope: 'c1' });
    const [kept] = await waitFor('the channel memory', async () => {
      const rows = await tc.council.memory.listFor(bob, { of: 'channel' });
      return rows.length > 0 && rows;
    });
    expect(kept!.content).toBe('The team deploys on Tuesdays');
    await expect(tc.council.memory.edit(kept!.id, 'The team deploys on Fridays', bob)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await tc.council.memory.edit(kept!.id, 'The team deploys on Wednesdays', boss)).content).toBe('The team deploys on Wednesdays');
    await expect(tc.council.memory.forgetOne(kept!.id, { ...discordCaller({ userId: 'eve', name: 'Eve', guildId: 'g2', placeId: 'c9' }), manager: true })).rejects.toMatchObject({ code: 'unknown_memory' });
    expect((await tc.council.memory.forgetOne(kept!.id, ana)).id).toBe(kept!.id);
  });

  it('/admin/memories filters by kind, scope, source and superseded', async () => {
    const admin = { authorization: `Bearer ${adminToken}` };
    const ana = discordCaller({ userId: 'ana', name: 'Ana', guildId: 'g1', placeId: 'c1' });
    await waitFor('the earlier answers extracted', () => script.requests.length === 3);
    script.push(JSON.stringify({ memories: [{ text: 'The team ships on Fridays', kind: 'fact' }] }));
    await tc.council.chatWithAgent('cto', 'We ship on Fridays', { caller: ana, scope: 'c1-a' });
    const [old] = await waitFor('the first fact', async () => {
      const rows = await tc.council.memory.list({ agentId: 'cto', query: 'ships on Fridays' });
      return rows.length > 0 && rows;
    });
    script.push(JSON.stringify({ memories: [{ text: 'The team ships on Mondays now, not Fridays', kind: 'fact', relation: 'contradicts', relatedId: old!.id }] }));
    await tc.council.chatWithAgent('cto', 'We ship on Mondays now, not Fridays', { caller: ana, scope: 'c1-b' });
    const only = await waitFor('the superseded fact', async () => {
      const rows = (await (await app.request('/admin/memories?superseded=only&scope=place', { headers: admin })).json()) as Array<{ id: string }>;
      return rows.length > 0 && rows;
    });
    expect(only.map((m) => m.id)).toEqual([old!.id]);
    const current = (await (await app.request('/admin/memories?superseded=exclude&kind=fact&source=Ana', { headers: admin })).json()) as Array<{ content: string }>;
    expect(current.map((m) => m.content)).toEqual(['The team ships on Mondays now, not Fridays']);
    expect((await app.request('/admin/memories?kind=opinion', { headers: admin })).status).toBe(400);
  });
});
