import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { minimalPdf } from '../../core/attachments/minimalPdf.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
const adminToken = 'test-admin-token-0123456789abcdef';
let apiKey = '';

const post = (path: string, body: unknown, authorization = `Bearer ${apiKey}`) =>
  app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', authorization } });
const json = (res: Response): Promise<any> => res.json();
const lastAsked = () => (fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format).at(-1)!.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content;

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken, ATTACHMENT_MAX_COUNT: '2', ATTACHMENT_MAX_BYTES: '100000' } });
  const log = createLogger('silent');
  app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
  apiKey = (await json(await post('/admin/keys', { name: 'files' }, `Bearer ${adminToken}`))).key;
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
});
afterAll(async () => {
  await tc?.dispose();
  await fake?.stop();
});

describe('REST attachments', () => {
  it('a chat reads a text attachment and a base64 PDF, quoted as untrusted data', async () => {
    const res = await post('/v1/agents/solutions_architect/chat', {
      message: 'review these',
      attachments: [
        { name: 'retry.diff', text: '--- a/retry.ts\n+++ b/retry.ts\n+const attempts = 5;\n' },
        { name: 'spec.pdf', base64: Buffer.from(minimalPdf(['Budget is 3 retries'])).toString('base64') },
      ],
    });
    expect(res.status).toBe(200);
    const asked = lastAsked();
    expect(asked).toContain('+const attempts = 5;');
    expect(asked).toContain('Budget is 3 retries');
    expect(asked).toContain('trust="untrusted data"');
  });

  it('a consult gives every agent the attachment', async () => {
    const before = fake.requests.length;
    const res = await post('/v1/consult', { message: 'thoughts?', agents: ['solutions_architect', 'backend_developer'], attachments: [{ name: 'notes.md', text: 'cache for 60 s' }] });
    expect(res.status).toBe(200);
    const prompts = fake.requests.slice(before).filter((r) => r.path === '/api/chat').map((r) => JSON.stringify(r.body)).filter((prompt) => prompt.includes('thoughts?'));
    expect(prompts).toHaveLength(2);
    expect(prompts.every((prompt) => prompt.includes('cache for 60 s'))).toBe(true);
  });

  it.each([
    { name: 'more files than ATTACHMENT_MAX_COUNT', attachments: [1, 2, 3].map((n) => ({ name: `${n}.txt`, text: 'x' })), status: 400, says: 'the limit is 2 per message' },
    { name: 'a file over ATTACHMENT_MAX_BYTES', attachments: [{ name: 'big.log', text: 'x'.repeat(100_001) }], status: 413, says: 'ATTACHMENT_MAX_BYTES' },
    { name: 'an archive', attachments: [{ name: 'a.zip', base64: Buffer.from([0x50, 0x4b, 3, 4, 0, 0xff]).toString('base64') }], status: 415, says: 'a.zip is a .zip file' },
    { name: 'base64 that is not', attachments: [{ name: 'a.png', base64: 'not base64!' }], status: 400, says: 'base64' },
    { name: 'an attachment with both text and base64', attachments: [{ name: 'a.txt', text: 'x', base64: 'eA==' }], status: 400, says: 'attachments' },
  ])('refuses $name in one line', async ({ attachments, status, says }) => {
    const res = await post('/v1/agents/solutions_architect/chat', { message: 'look', attachments });
    const body = await json(res);
    expect(res.status).toBe(status);
    expect(body.error.message).toContain(says);
    expect(body.error.message).not.toContain('\n');
  });

  it('a chat body with files may pass 64 KB; other /v1 bodies may not', async () => {
    const log = 'line of a long log\n'.repeat(4_000);
    expect((await post('/v1/agents/solutions_architect/chat', { message: 'long log', attachments: [{ name: 'app.log', text: log }] })).status).toBe(200);
    expect((await post('/v1/meetings', { type: 'x', title: 't', topics: ['a'], description: log })).status).toBe(413);
  });

  it('the OpenAPI document publishes the attachment shape and its limits', async () => {
    const document = await json(await app.request('/v1/openapi.json'));
    const text = JSON.stringify(document);
    expect(text).toContain('"base64"');
    expect(text).toContain('"maxItems":20');
  });
});
