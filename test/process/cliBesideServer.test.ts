import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { runBuiltCli, startServer, type Server } from '../support/builtEntry.js';
import { waitFor } from '../support/children.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let server: Server;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOllama();
  dataDir = mkdtempSync(join(tmpdir(), 'council-beside-'));
  env = { DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url };
  server = await startServer(env);
  await waitFor(() => 'the server published no control.json', () => existsSync(join(dataDir, 'control.json')), 30_000);
});
afterAll(async () => {
  await server?.stop();
  await fake?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the CLI beside a running server on the same embedded data folder', () => {
  it('publishes its local endpoint for its own user only', () => {
    expect(statSync(join(dataDir, 'control.json')).mode & 0o777).toBe(0o600);
  });

  it('lists agents and meeting types without touching the database', async () => {
    const agents = await runBuiltCli(['agents', '--json'], env);
    expect(agents.code).toBe(0);
    expect(JSON.parse(agents.stdout)).toHaveLength(29);
    const types = await runBuiltCli(['meeting', 'types', '--json'], env);
    expect(types.code).toBe(0);
    expect(JSON.parse(types.stdout).length).toBeGreaterThanOrEqual(20);
  });

  it('runs database commands inside the server: same output, same exit codes', async () => {
    const asked = await runBuiltCli(['ask', 'cto', 'We ship on Tuesdays', '--session', 'beside', '--json'], env);
    expect(asked.stderr).toBe('');
    expect(asked.code).toBe(0);
    expect(JSON.parse(asked.stdout)).toMatchObject({ agent: 'cto', session: 'beside' });

    const unknown = await runBuiltCli(['ask', 'ctoo', 'hi'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringContaining('unknown agent "ctoo"')]);

    const exported = await runBuiltCli(['export'], env);
    expect(exported.code).toBe(0);
    const records = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; content?: string });
    expect(records.some((r) => r.type === 'message' && r.content?.includes('We ship on Tuesdays'))).toBe(true);
  });

  it('answers every piped chat line in order through the server, and exits 0 at the end of input', async () => {
    const chat = await runBuiltCli(['chat', 'backend_developer', '--session', 'piped', '--json'], env, { input: 'first question\n/help\nsecond question\n' });
    expect(chat.stderr).toBe('');
    expect(chat.code).toBe(0);
    const done = chat.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string }).filter((e) => e.type === 'turn_done');
    expect(done).toHaveLength(2);
    const prompts = fake.requests.filter((r) => r.path === '/api/chat').map((r) => JSON.stringify(r.body));
    expect(prompts.findIndex((p) => p.includes('first question'))).toBeLessThan(prompts.findIndex((p) => p.includes('second question')));
    expect(prompts.some((p) => p.includes('/help'))).toBe(false);
  });

  it('refuses a caller without the token', async () => {
    const response = await fetch(`${server.url}/local/cli`, { method: 'POST', body: '{"argv":["memory","clear","--all","--yes"],"cwd":"/","interactive":false}\n' });
    expect(response.status).toBe(401);
  });

  it('refuses a caller holding the token whose Host header is not loopback (DNS rebinding), serves the same request to a loopback Host', async () => {
    const { token } = JSON.parse(readFileSync(join(dataDir, 'control.json'), 'utf8')) as { token: string };
    const { port } = new URL(server.url);
    const send = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/local/cli', method: 'POST', headers: { host, authorization: `Bearer ${token}` } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject).end('{"argv":["agents","--json"],"cwd":"/","interactive":false}\n');
      });
    for (const host of [`rebound.example:${port}`, 'rebound.example', `127.0.0.1.rebound.example:${port}`, `localhost.rebound.example`]) {
      const refused = await send(host);
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ error: { code: 'forbidden', message: 'local commands are served to this machine only' } });
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const served = await send(host);
      expect(served.status, host).toBe(200);
      expect(served.body).toContain('"exit":0');
    }
  });

  it('removes the endpoint when the server stops, and the CLI then opens the folder itself', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(join(dataDir, 'control.json'))).toBe(false);
    const listed = await runBuiltCli(['memory', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    expect(Array.isArray(JSON.parse(listed.stdout))).toBe(true);
  });
});
