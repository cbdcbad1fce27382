import { contextOf } from '../../core/contextOf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../control/startControlServer.js';
import { ApiKeyStore } from '../../core/auth/apiKeys.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { waitFor } from '../support/waitFor.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let server: ControlServer;
let auth: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url });
  auth = { authorization: `Bearer ${(await new ApiKeyStore(contextOf(tc.council).database.db).create('socket')).key}` };
  const log = createLogger('silent');
  server = await startControlServer({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await tc.dispose();
  await fake.stop();
});

describe('control server on a real socket', () => {
  it('serves health and a chat', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const res = await fetch(`${server.url}/v1/agents/cto/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ message: 'hi' }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agent: string }).agent).toBe('cto');
  });

  it('cancels the model call when the client disconnects mid-stream', async () => {
    fake.setLatency({ ttftMs: 0, tokenMs: 100 });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/agents/cto/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...auth },
      body: JSON.stringify({ message: 'tell me a long story about queues' }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('event: token')) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the stream ended before a token: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
    const llm = contextOf(tc.council).llm;
    expect(llm.backends[0]!.limiter.inFlight).toBe(1);
    controller.abort();
    await waitFor('the model call to give back its slot', () => llm.backends[0]!.limiter.inFlight === 0);
    const records = [];
    for await (const record of tc.council.exportData()) records.push(record);
    expect(records.some((r) => r.type === 'message' && r.content.includes('long story'))).toBe(false);
  });
});
