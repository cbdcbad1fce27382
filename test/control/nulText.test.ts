import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { toCouncilError } from '../../core/errors.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';

/**
 * Postgres and PGlite refuse U+0000 in text (SQLSTATE 22021). A NUL in a body
 * used to come back as `503 database_error ... try again shortly`: it is bad
 * input, so 400 naming the field, from every face, on both databases.
 */
const adminToken = 'nul-admin-token-0123456789abcdef';
const nul = 'zq7-nul\u0000after';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
});

const databases: Array<{ name: string; open: () => Promise<{ url?: string; drop(): Promise<void> }> }> = [{ name: 'PGlite', open: async () => ({ drop: async () => {} }) }];
if (hasPostgres) databases.push({ name: 'Postgres', open: createTestDatabase });

describe.each(databases)('a NUL character in text on $name', ({ open }) => {
  let tc: TestCouncil;
  let drop: () => Promise<void>;
  let app: ReturnType<typeof createControlApp>;
  let apiKey = '';
  let meetingId = '';

  const send = (path: string, body: unknown, token = apiKey) =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  const refusal = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error });

  beforeAll(async () => {
    const database = await open();
    drop = database.drop;
    tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken, ...(database.url ? { DATABASE_URL: database.url } : {}) } });
    const log = createLogger('silent');
    app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
    apiKey = ((await (await send('/admin/keys', { name: 'nul-tests' }, adminToken)).json()) as { key: string }).key;
    const started = await send('/v1/meetings', { type: 'daily_standup', title: 'Standup', topics: ['Yesterday'] });
    expect(started.status).toBe(202);
    meetingId = ((await started.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await tc?.dispose();
    await drop?.();
  });

  it('answers 400 naming the field for every text field of a /v1 or /admin body', async () => {
    const cases: Array<[string, unknown, string, string?]> = [
      ['/v1/agents/cto/chat', { message: nul }, 'message'],
      ['/v1/agents/cto/chat', { message: 'hi', session: nul }, 'session'],
      ['/v1/consult', { message: nul, agents: ['cto'] }, 'message'],
      ['/v1/consult', { message: 'hi', agents: ['cto'], session: nul }, 'session'],
      ['/v1/consult', { message: 'hi', agents: ['cto', nul] }, 'agents.1'],
      ['/v1/meetings', { type: 'daily_standup', title: nul, topics: ['x'] }, 'title'],
      ['/v1/meetings', { type: 'daily_standup', title: 't', topics: ['x', nul] }, 'topics.1'],
      ['/v1/meetings', { type: 'daily_standup', title: 't', topics: ['x'], description: nul }, 'description'],
      [`/v1/meetings/${meetingId}/messages`, { text: nul }, 'text'],
      ['/admin/keys', { name: nul }, 'name', adminToken],
      ['/admin/memories', { agent: 'cto', content: nul }, 'content', adminToken],
    ];
    for (const [path, body, field, token] of cases) {
      const answer = await refusal(await send(path, body, token));
      expect(answer, `${path} ${field}`).toEqual({ status: 400, code: 'bad_usage', message: `${field}: contains a NUL character (\\u0000), which cannot be stored; remove it` });
    }
  });

  it('refuses it in core too, for the CLI and the bot: a usage error (exit 2) naming what holds it, before any model call', async () => {
    const refused = async (run: () => Promise<unknown>) => {
      const error = await run().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      // As every face reads a failure: the CLI's exit code and line, the HTTP status.
      const failure = toCouncilError(error);
      expect(failure.exitCode).toBe(2);
      return failure.message;
    };
    expect(await refused(() => tc.council.chatWithAgent('cto', nul))).toMatch(/^the message contains a NUL character/);
    expect(await refused(() => tc.council.chatWithAgent('cto', 'hi', { scope: `cli:${nul}` }))).toMatch(/^the session name contains a NUL character/);
    const replies = await tc.council.consult(nul, ['cto', 'cloud_architect']);
    expect(replies.map((reply) => reply.error?.code)).toEqual(['bad_usage', 'bad_usage']);
    expect(replies[0]?.error?.message).toMatch(/^the message contains a NUL character/);
    // A path without its own check still answers as bad input, never as a database fault.
    expect(await refused(() => tc.council.createMeeting({ type: 'daily_standup', title: nul }))).toMatch(/cannot store \(a NUL/);
    const chats = fake.requests.filter((r) => r.path === '/api/chat' && JSON.stringify(r.body).includes('zq7-nul'));
    expect(chats).toHaveLength(0);
  });
});
