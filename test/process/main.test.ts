import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil } from '../support/openTestCouncil.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
const dataDir = mkdtempSync(join(tmpdir(), 'council-main-'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

function startMain(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot, 'main.ts'), ...args], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, CONTROL_HOST: '127.0.0.1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('node main.ts', () => {
  it('finishes a chat in flight on SIGTERM, stores it, and exits 0', async () => {
    const port = await freePort();
    const main = startMain([], { CONTROL_PORT: String(port), DISCORD_TOKEN: '', ADMIN_TOKEN: 'admin-secret-xyz' });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false))) await new Promise((r) => setTimeout(r, 100));
    fake.setLatency({ ttftMs: 0, tokenMs: 60 });
    const chat = fetch(`http://127.0.0.1:${port}/v1/agents/cto/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'a question worth a long answer', session: 'sigterm' }) });
    while (!fake.requests.some((r) => r.path === '/api/chat')) await new Promise((r) => setTimeout(r, 20));
    main.child.kill('SIGTERM');
    const response = await chat;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { reply: string }).reply.length).toBeGreaterThan(20);
    expect(await main.exited).toBe(0);
    fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    expect(main.output().stdout).toContain('"msg":"stopped"');
    expect(main.output().stdout).not.toContain('admin-secret-xyz');
    const reopened = await openTestCouncil({ ollamaUrl: fake.url, dataDir });
    try {
      const records = [];
      for await (const record of reopened.council.exportData()) records.push(record);
      expect(records.filter((r) => r.type === 'message' && r.role === 'user' && r.content.includes('a question worth a long answer'))).toHaveLength(1);
      expect(records.filter((r) => r.type === 'message' && r.role === 'assistant')).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });

  it('exits non-zero with one clear line when the bot entry has a bad token', async () => {
    const { startFakeDiscord } = await import('../fakes/discord/index.js');
    const discord = await startFakeDiscord();
    try {
      const main = startMain(['bot'], { CONTROL_PORT: String(await freePort()), DISCORD_TOKEN: 'wrong-token', DISCORD_API_URL: discord.apiUrl });
      expect(await main.exited).toBe(1);
      const lines = main.output().stdout.split('\n').filter((line) => line.includes('Discord rejected'));
      expect(lines).toHaveLength(1);
      expect(main.output().stdout + main.output().stderr).not.toContain('wrong-token');
      expect(main.output().stderr).not.toMatch(/\n\s+at /);
    } finally {
      await discord.stop();
    }
  });

  it('refuses a bad setting with exit 2 and a line naming it', async () => {
    const main = startMain([], { CONTROL_PORT: 'eighty' });
    expect(await main.exited).toBe(2);
    expect(main.output().stderr).toContain('CONTROL_PORT="eighty"');
  });
});
