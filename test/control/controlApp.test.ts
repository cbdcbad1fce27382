import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { waitFor } from '../support/waitFor.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
let bot = { configured: false, connected: false };
const adminToken = 'test-admin-token-0123456789abcdef';
const admin = { authorization: `Bearer ${adminToken}` };
let apiKey = '';

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken } });
  const log = createLogger('silent');
  app = createControlApp({ council: tc.council, log, botStatus: () => bot, jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
  apiKey = (await json(await post('/admin/keys', { name: 'tests' }, admin))).key;
});
afterAll(async () => {
  await tc.dispose();
  await fake.stop();
});
beforeEach(() => {
  bot = { configured: false, connected: false };
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  fake.failNext({ count: 0 });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers } });
const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${apiKey}` } });

/** Test-side reading of JSON bodies, whose shape each assertion checks. */
const json = (res: Response): Promise<any> => res.json();

function parseSse(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => ({ event: /event: (.*)/.exec(block)?.[1] ?? '', data: JSON.parse(/data: (.*)/.exec(block)?.[1] ?? 'null') }));
}

describe('health, readiness, metrics', () => {
  it('serves /healthz', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
  });

  it('is ready when the database and Ollama are, and says the bot is off', async () => {
    const res = await app.request('/readyz', { headers: { 'x-request-id': 'probe-1' } });
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('probe-1');
    expect((await app.request('/readyz')).headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-\w+$/);
    expect(body.checks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['database', `ollama ${fake.url}`, 'discord']));
    expect(body.checks.find((c: { name: string }) => c.name === 'discord').problem).toContain('bot is off');
  });

  it('is not ready while a configured bot is disconnected', async () => {
    bot = { configured: true, connected: false };
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect((await json(res)).checks.find((c: { name: string }) => c.name === 'discord').ok).toBe(false);
  });

  it('follows Ollama going away and coming back', async () => {
    await fake.stop();
    const down = await app.request('/readyz');
    expect(down.status).toBe(503);
    const failing = (await json(down)).checks.filter((c: { ok: boolean }) => !c.ok);
    expect(failing[0].problem).toContain(fake.url);
    await fake.restart();
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('serves council metrics with route-pattern labels', async () => {
    await get('/v1/meetings/11111111-2222-3333-4444-555555555555');
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('# TYPE council_llm_request_duration_seconds histogram');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toMatch(/council_http_requests_total\{method="GET",route="\/v1\/meetings\/:id",status="404"\} \d/);
    expect(text).toMatch(/council_memories_stored \d/);
  });
});

describe('/admin', () => {
  it('needs the bearer token', async () => {
    expect((await app.request('/admin/agents')).status).toBe(401);
    expect((await app.request('/admin/agents', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await app.request('/admin/agents', { headers: admin })).status).toBe(200);
  });

  it('does not exist without ADMIN_TOKEN', async () => {
    const noToken = await openTestCouncil({ ollamaUrl: fake.url });
    try {
      const log = createLogger('silent');
      const plain = createControlApp({ council: noToken.council, log, botStatus: () => bot, jobs: createJobs({ council: noToken.council, log }) });
      expect((await plain.request('/admin/agents', { headers: admin })).status).toBe(404);
    } finally {
      await noToken.dispose();
    }
  });

  it('exports, clears and imports a conversation back', async () => {
    await post('/v1/agents/technical_writer/chat', { message: 'Remember that our docs live in the wiki', session: 'docs' });
    await waitFor('the memory extracted after the answer', async () => (await tc.council.memory.list({ agentId: 'technical_writer' })).length > 0);
    const exported = await (await app.request('/admin/export', { headers: admin })).text();
    expect(exported).toContain('our docs live in the wiki');
    const listed = await json(await app.request('/admin/memories?agent=technical_writer&q=wiki', { headers: admin }));
    expect(listed).toHaveLength(1);
    const cleared = await json(await app.request('/admin/memories', { method: 'DELETE', headers: admin }));
    expect(cleared.conversations).toBeGreaterThan(0);
    expect(await (await app.request('/admin/export', { headers: admin })).text()).toBe('');
    const imported = await json(await app.request('/admin/import', { method: 'POST', body: exported, headers: admin }));
    expect(imported.messages).toBeGreaterThanOrEqual(2);
    expect(await (await app.request('/admin/export', { headers: admin })).text()).toBe(exported);
  });

  it('forgets a Discord user', async () => {
    await tc.council.chatWithAgent('cto', 'Remember that I like graphs', { scope: 'discord:c:u42', caller: { ownerId: 'discord:u42', name: 'Kim', guildId: 'g1', placeId: 'c' } });
    await waitFor('the memory extracted after the answer', async () => (await tc.council.memory.list({ agentId: 'cto' })).some((m) => m.ownerId === 'discord:u42'));
    const res = await app.request('/admin/users/u42', { method: 'DELETE', headers: admin });
    expect(await json(res)).toMatchObject({ conversations: 1, memories: 1 });
  });

  it('lists and runs jobs; unknown job is 404', async () => {
    const jobs = await json(await app.request('/admin/jobs', { headers: admin }));
    expect(jobs.map((j: { name: string }) => j.name)).toEqual(expect.arrayContaining(['memory-prune', 'cleanup']));
    expect(jobs[0].nextRun).toBeTruthy();
    const run = await app.request('/admin/jobs/cleanup/run', { method: 'POST', headers: admin });
    expect(run.status).toBe(200);
    expect((await json(run)).status).toBe('ok');
    expect((await app.request('/admin/jobs/nope/run', { method: 'POST', headers: admin })).status).toBe(404);
    const meetings = await app.request('/admin/meetings', { headers: admin });
    expect(Array.isArray(await meetings.json())).toBe(true);
  });
});

describe('/v1', () => {
  it('lists agents', async () => {
    const agents = await json(await get('/v1/agents'));
    expect(agents).toHaveLength(29);
  });

  it('chats as JSON and as server-sent events', async () => {
    const res = await post('/v1/agents/backend_developer/chat', { message: 'REST tips?', session: 's' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ agent: 'backend_developer', session: 's' });
    const sse = await post('/v1/agents/backend_developer/chat', { message: 'More?' }, { accept: 'text/event-stream' });
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await sse.text());
    expect(events[0]!.event).toBe('turn_started');
    expect(events.filter((e) => e.event === 'token').length).toBeGreaterThan(1);
    expect(events.at(-1)!.event).toBe('turn_done');
  });

  it('consults several agents', async () => {
    const replies = await json(await post('/v1/consult', { message: 'Scale?', agents: ['cto', 'cloud_architect'] }));
    expect(replies.map((r: { agent: string }) => r.agent)).toEqual(['cto', 'cloud_architect']);
  });

  it('folds repeated agents in a consult: one model call per agent, replies in first-seen order, as JSON and as SSE', async () => {
    const callsFor = (text: string) => fake.requests.filter((r) => r.path === '/api/chat' && JSON.stringify(r.body).includes(text)).length;
    const agents = [...Array(25).fill('cto'), 'cloud_architect', 'CTO', ' cto ', 'cloud_architect'];
    const replies = await json(await post('/v1/consult', { message: 'Fold-check JSON?', agents }));
    expect(replies.map((r: { agent: string }) => r.agent)).toEqual(['cto', 'cloud_architect']);
    expect(callsFor('Fold-check JSON?')).toBe(2);
    const sse = await post('/v1/consult', { message: 'Fold-check SSE?', agents }, { accept: 'text/event-stream' });
    const done = parseSse(await sse.text()).filter((e) => e.event === 'turn_done');
    expect(done.map((e) => e.data.agent).sort()).toEqual(['cloud_architect', 'cto']);
    expect(callsFor('Fold-check SSE?')).toBe(2);
  });

  it('starts a meeting in the background (202 + Location), streams its turns as SSE and serves it afterwards', async () => {
    const res = await post('/v1/meetings', { type: 'daily_standup', title: 'Standup', topics: ['Yesterday'] });
    expect(res.status).toBe(202);
    const { id } = await json(res);
    expect(res.headers.get('location')).toBe(`/v1/meetings/${id}`);
    const events = parseSse(await (await get(`/v1/meetings/${id}/events`)).text());
    const turns = events.filter((e) => e.event === 'turn_done').map((e) => e.data.seq);
    expect(turns).toEqual(turns.map((_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ event: 'meeting_ended', data: { status: 'completed' } });
    const meeting = await json(await get(`/v1/meetings/${id}`));
    expect(meeting.status).toBe('completed');
    expect(meeting.turns.length).toBe(turns.length);
  });

  it('answers bad input with the right status and a JSON error', async () => {
    const badJson = await post('/v1/agents/cto/chat', '{nope');
    expect(badJson.status).toBe(400);
    expect((await json(badJson)).error.message).toBe('body is not valid JSON');
    const badField = await post('/v1/consult', { message: 'x', agents: 'cto' });
    expect(badField.status).toBe(400);
    expect((await json(badField)).error.message).toContain('agents');
    const unknown = await post('/v1/agents/wizard/chat', { message: 'hi' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('unknown_agent');
    expect((await post('/v1/meetings', { type: 'party', title: 't', topics: ['x'] })).status).toBe(404);
    expect((await get('/v1/meetings/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    // A chat may carry attachments (restAttachments.test.ts), so the 64 KB limit is shown on a meeting.
    const huge = await post('/v1/meetings', { type: 'x', title: 'x'.repeat(70 * 1024), topics: ['x'] }, { 'content-length': String(70 * 1024 + 50) });
    expect(huge.status).toBe(413);
  });

  it('answers 413 as the usual JSON error, naming the limit and what to do, on /v1 and /admin/import', async () => {
    const sizes = { '/v1/meetings': 70 * 1024, '/admin/import': 65 * 1024 * 1024 };
    for (const [path, size] of Object.entries(sizes)) {
      const res = await post(path, 'x'.repeat(size), path.startsWith('/admin') ? admin : {});
      expect(res.status, path).toBe(413);
      expect(res.headers.get('content-type'), path).toContain('application/json');
      const { error } = await json(res);
      expect(error.code, path).toBe('body_too_large');
      expect(error.message, path).toMatch(path.startsWith('/admin') ? /over the 64 MB limit; import .* `council import <file>`/ : /over the 64 KB limit; shorten the message/);
    }
  });

  it('says what is wrong when Ollama is down', async () => {
    fake.failNext({ count: 10, status: 404, error: 'model "llama3.2" not found, try pulling it first' });
    const res = await post('/v1/agents/cto/chat', { message: 'hi' });
    expect(res.status).toBe(502);
    expect((await json(res)).error.message).toContain('ollama pull llama3.2');
  });

  it('publishes an OpenAPI document listing every /v1 route, and only routes the app serves', async () => {
    const doc = await json(await app.request('/v1/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    // Every /v1 route the app serves is documented; the admin routes that key rights need (PATCH /admin/keys/{id}) are too; nothing unserved is.
    const served = app.routes
      .filter((route) => /^\/(v1|admin)\//.test(route.path) && route.method !== 'ALL' && route.path !== '/v1/openapi.json')
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`);
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect([...new Set(served)].filter((route) => route.includes(' /v1/')).sort()).toEqual(documented.filter((route) => route.includes(' /v1/')).sort());
    expect(documented.filter((route) => !served.includes(route))).toEqual([]);
    expect(documented).toContain('patch /admin/keys/{id}');
    expect(doc.paths['/v1/consult'].post.requestBody.content['application/json'].schema.required).toContain('agents');
  });
});

describe('/v1 keys and bodies', () => {
  it('answers 401 without a key, with a revoked key, 200 with a good one', async () => {
    const none = await app.request('/v1/agents');
    expect(none.status).toBe(401);
    const body = await json(none);
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toContain('Authorization: Bearer');
    const created = await json(await post('/admin/keys', { name: 'short-lived' }, admin));
    expect(created).toMatchObject({ name: 'short-lived', key: expect.stringMatching(/^council_/) });
    const withKey = (key: string) => app.request('/v1/agents', { headers: { authorization: `Bearer ${key}` } });
    expect((await withKey(created.key)).status).toBe(200);
    const listed = await json(await app.request('/admin/keys', { headers: admin }));
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await app.request(`/admin/keys/${created.id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    expect((await withKey(created.key)).status).toBe(401);
    expect((await app.request('/admin/keys/short-lived', { method: 'DELETE', headers: admin })).status).toBe(404);
  });

  it('refuses text/plain and form bodies with 415, and unknown fields with 400', async () => {
    const plain = await post('/v1/agents/cto/chat', JSON.stringify({ message: 'hi' }), { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect((await json(plain)).error.code).toBe('unsupported_media_type');
    const form = await post('/v1/agents/cto/chat', 'message=hi', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const extra = await post('/v1/agents/cto/chat', { message: 'hi', admin: true });
    expect(extra.status).toBe(400);
    expect((await json(extra)).error.message).toContain('unknown field "admin"');
  });

  it('declares the bearer scheme and closed bodies in OpenAPI, served without a key', async () => {
    const doc = await json(await app.request('/v1/openapi.json'));
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/v1/agents/{id}/chat'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(doc.paths['/v1/agents/{id}/chat'].post.responses['401']).toBeDefined();
  });

  it('records admin deletes and imports in the audit log', async () => {
    const before = Date.now();
    await app.request('/admin/memories?agent=cto', { method: 'DELETE', headers: admin });
    await app.request('/admin/users/u77', { method: 'DELETE', headers: admin });
    await app.request('/admin/import', { method: 'POST', body: '', headers: admin });
    const entries = await json(await app.request('/admin/audit', { headers: admin }));
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['memories.clear', 'user.forget', 'data.import', 'key.revoke']));
    const clear = entries.find((e: { action: string }) => e.action === 'memories.clear');
    expect(clear).toMatchObject({ actor: 'admin', target: 'agent:cto', rows: expect.any(Number) });
    // Stamped by this request: between the moment the test sent it and now.
    expect(new Date(clear.at).getTime()).toBeGreaterThanOrEqual(before);
    expect(new Date(clear.at).getTime()).toBeLessThanOrEqual(Date.now());
  });
});
