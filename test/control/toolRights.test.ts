import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { isExtractionRequest, startFakeOllama, type FakeChatRequest, type FakeReply } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { runCliForTest } from '../support/runCliForTest.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
let folder: string;
let mcpConfig: string;
const adminToken = 'test-admin-token-0123456789abcdef';
const everything = { command: process.execPath, args: [join(process.cwd(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'], env: {} };

/** Test-side reading of JSON bodies, whose shape each assertion checks. */
const json = (res: Response): Promise<any> => res.json();
const send = (method: string, path: string, body: unknown, token = adminToken) =>
  app.request(path, { method, body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
const offered = () =>
  fake.requests
    .filter((r) => r.path === '/api/chat' && !isExtractionRequest(r.body as FakeChatRequest))
    .map((r) => ((r.body as FakeChatRequest).tools ?? []).map((tool) => tool.function.name));

beforeAll(async () => {
  fake = await startFakeOllama();
  fake.setLatency({ ttftMs: 0, tokenMs: 0, jitterMs: 0, promptTokenMs: 0 });
  fake.setResponder((request): string | FakeReply => {
    if (isExtractionRequest(request)) return '{"memories": []}';
    const result = request.messages.find((m) => m.role === 'tool');
    if (result) return `Tool said: ${result.content}`;
    if ((request.tools ?? []).length > 0) return { tool_calls: [{ function: { name: 'everything.echo', arguments: { message: 'from a key' } } }] };
    return 'No tools.';
  });
  folder = mkdtempSync(join(tmpdir(), 'council-tool-rights-'));
  mcpConfig = join(folder, 'mcp.json');
  writeFileSync(mcpConfig, JSON.stringify({ mcpServers: { everything, down: { command: join(folder, 'no-such-server'), args: [] } } }));
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken, MCP_CONFIG: mcpConfig } });
  const log = createLogger('silent');
  app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
}, 120_000);
afterAll(async () => {
  await tc?.dispose();
  await fake?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('tool rights of API keys (PATCH /admin/keys/{id})', () => {
  it('a key calls no tool until an admin gives it some; then exactly those, pinned and audited; [] takes them away', async () => {
    const created = await json(await send('POST', '/admin/keys', { name: 'tooling' }));
    const chat = () => app.request('/v1/agents/backend_developer/chat', { method: 'POST', body: JSON.stringify({ message: 'Echo please' }), headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' } });

    fake.resetStats();
    expect((await json(await chat())).reply).toBe('No tools.');
    expect(offered()).toEqual([[]]);

    expect((await send('PATCH', `/admin/keys/${created.id}`, { tools: ['everything.echo'] }, 'wrong-token')).status).toBe(401);
    expect((await send('PATCH', `/admin/keys/${created.id}`, { tools: ['fs.delete'] })).status).toBe(400);
    expect((await send('PATCH', '/admin/keys/00000000-0000-4000-8000-000000000000', { tools: [] })).status).toBe(404);
    expect((await send('PATCH', `/admin/keys/${created.id}`, { tools: ['everything.echo'], extra: true })).status).toBe(400);
    const set = await send('PATCH', `/admin/keys/${created.id}`, { tools: ['everything.echo'] });
    expect(set.status).toBe(200);
    expect(await json(set)).toEqual({ id: created.id, name: 'tooling', tools: [expect.stringMatching(/^everything\.echo@[0-9a-f]{64}$/)] });
    expect((await json(await send('GET', '/admin/audit', undefined))).find((entry: { action: string }) => entry.action === 'key.tools')).toMatchObject({ target: `key:${created.id}`, detail: { tools: ['everything.echo'] } });

    fake.resetStats();
    const reply = await json(await chat());
    expect(offered()[0]).toEqual(['everything.echo']);
    expect(reply.reply).toContain('Echo: from a key');
    // The JSON reply lists the calls as stored on the message, in the shape the OpenAPI publishes.
    expect(reply.toolCalls).toEqual([expect.objectContaining({ tool: 'everything.echo', outcome: 'ok', approval: 'granted', outputSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(reply.toolCalls[0]).not.toHaveProperty('output');
    // A key cannot widen its own rights from the request.
    const widened = await app.request('/v1/agents/backend_developer/chat', { method: 'POST', body: JSON.stringify({ message: 'x', tools: ['everything.get-env'] }), headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' } });
    expect(widened.status).toBe(400);

    await send('PATCH', `/admin/keys/${created.id}`, { tools: [] });
    fake.resetStats();
    expect((await json(await chat())).reply).toBe('No tools.');
  });

  it('is documented in the OpenAPI with the admin token', async () => {
    const doc = await json(await app.request('/v1/openapi.json'));
    expect(doc.paths['/admin/keys/{id}'].patch.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/admin/keys/{id}'].patch.requestBody.content['application/json'].schema.properties.tools.type).toBe('array');
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('tool servers in /readyz', () => {
  it('a tool server that is down degrades Council and names the server; Council stays ready', async () => {
    const res = await app.request('/readyz');
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.degraded).toBe(true);
    expect(body.checks).toEqual(
      expect.arrayContaining([
        { name: 'tool server everything', ok: true },
        { name: 'tool server down', ok: true, degraded: true, problem: expect.stringContaining('MCP server down did not start') },
      ]),
    );
  });
});

describe('council ask --tools', () => {
  it('the terminal user allows a tool for that run; each call is one line on stderr', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'council-cli-tools-'));
    try {
      const env = { OLLAMA_BASE_URL: fake.url, DATA_DIR: dataDir, MCP_CONFIG: mcpConfig, LOG_LEVEL: 'silent' };
      fake.resetStats();
      const result = await runCliForTest(['ask', 'backend_developer', 'Echo', 'please', '--tools', 'everything.echo'], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Echo: from a key');
      expect(result.stderr).toMatch(/^\[tool everything\.echo: ok, \d+ ms, \d+ characters\]$/m);
      const plain = await runCliForTest(['ask', 'backend_developer', 'Echo', 'please'], env);
      expect(plain.stdout.trim()).toBe('No tools.');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
