import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { waitFor } from '../support/waitFor.js';

/**
 * /v1 clients get a code and a plain message: never the model server's URL or
 * port, nor DATA_DIR's path, in a reply, an error body, an SSE event or a
 * meeting. The operator keeps them: the log, the library and the CLI's line.
 */
let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
let apiKey = '';
const logLines: string[] = [];
const adminToken = 'client-view-admin-token-0123456789';

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken, OLLAMA_STALL_MS: '300', MEETING_HUMAN_WAIT_MS: '0' } });
  const log = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
  app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
  const created = await app.request('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'view' }), headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } });
  apiKey = ((await created.json()) as { key: string }).key;
});
afterAll(async () => {
  await tc.dispose();
  if (!down) await fake.stop();
});
let down = false;
const stopOllama = async () => {
  await fake.stop();
  down = true;
};
beforeEach(async () => {
  if (down) await fake.restart();
  down = false;
  fake.failNext({ count: 0 });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers } });
const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${apiKey}` } });

/** Every way the backend or the data folder could be named in text a client receives. */
function internalsIn(text: string): string[] {
  const { host, port } = new URL(fake.url);
  return [fake.url, host, `:${port}`, tc.dataDir].filter((name) => text.includes(name));
}

describe('/v1 answers name no internals', () => {
  it('replies carry stats without the backend, as JSON and as SSE', async () => {
    const reply = await post('/v1/agents/cto/chat', { message: 'Plain stats?' });
    const body = (await reply.json()) as { stats: Record<string, unknown> };
    expect(body.stats).toMatchObject({ model: 'llama3.2', completionTokens: expect.any(Number) });
    expect(body.stats).not.toHaveProperty('backend');
    const sse = await (await post('/v1/consult', { message: 'Plain SSE?', agents: ['cto', 'cloud_architect'] }, { accept: 'text/event-stream' })).text();
    expect(sse.match(/event: turn_done/g)).toHaveLength(2);
    expect(sse).toContain('"completionTokens"');
    expect(internalsIn(sse)).toEqual([]);
  });

  it('an unreachable model server is a 502 with a plain message in the body, the consult reply and the SSE error; the log and the library keep the URL', async () => {
    await stopOllama();
    const chat = await post('/v1/agents/cto/chat', { message: 'Down?' });
    expect(chat.status).toBe(502);
    const text = await chat.text();
    expect(JSON.parse(text).error).toEqual({ code: 'ollama_unreachable', message: expect.stringMatching(/^cannot reach the model server \(ECONNREFUSED\)/) });
    const consult = await (await post('/v1/consult', { message: 'Down too?', agents: ['cto'] })).text();
    expect(JSON.parse(consult)[0].error.code).toBe('ollama_unreachable');
    const sse = await (await post('/v1/agents/cto/chat', { message: 'Down SSE?' }, { accept: 'text/event-stream' })).text();
    expect(sse).toContain('"code":"ollama_unreachable"');
    for (const answer of [text, consult, sse]) expect(internalsIn(answer)).toEqual([]);
    // The operator's side: the library's (and so the CLI's) line and the server log name the backend.
    await expect(tc.council.chatWithAgent('cto', 'Down for the operator?')).rejects.toThrow(`cannot reach Ollama at ${fake.url}`);
    expect(logLines.join('')).toContain(fake.url);
  });

  it('a model server that stops sending mid-reply is a plain SSE error event', async () => {
    fake.failNext({ count: 1, mode: 'stall-after-tokens', tokens: 2, path: 'chat' });
    const sse = await (await post('/v1/agents/cto/chat', { message: 'Stall?' }, { accept: 'text/event-stream' })).text();
    expect(sse).toContain('"code":"ollama_stalled"');
    expect(sse).toContain('the model server stopped sending');
    expect(internalsIn(sse)).toEqual([]);
  });

  it('a meeting that stops on a model failure shows a plain error in its view', async () => {
    await stopOllama();
    const started = await post('/v1/meetings', { type: 'daily_standup', title: 'Outage', topics: ['Anything'] });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const view = await waitFor('the meeting to stop on the outage', async () => {
      const body = (await (await get(`/v1/meetings/${id}`)).json()) as { status: string; error: string | null };
      return body.error ? body : undefined;
    });
    expect(view).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^cannot reach the model server/) });
    expect(internalsIn(JSON.stringify(view))).toEqual([]);
  });
});
