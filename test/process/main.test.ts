import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../core/db/dataDirLock.js';
import { packageRoot } from '../../core/paths.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { baseEnv, builtMain, freePort, runBuiltCli, startServer } from '../support/builtEntry.js';
import { spawnTracked, trackPid, waitFor } from '../support/children.js';
import { openTestCouncil } from '../support/openTestCouncil.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
const dataDir = mkdtempSync(join(tmpdir(), 'council-main-'));

/** `node dist/main.js` without waiting for it to serve: for entries that are meant to stop at start. */
function startMain(args: string[], env: Record<string, string>) {
  return spawnTracked(process.execPath, [builtMain, ...args], { cwd: packageRoot, env: baseEnv({ DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, ...env }) });
}

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('node dist/main.js', () => {
  it('finishes a chat in flight on SIGTERM, stores it, and exits 0', async () => {
    const env = { DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, ADMIN_TOKEN: 'admin-secret-xyz-0123456789abcdef' };
    const main = await startServer(env);
    await waitFor(() => 'no control.json', () => existsSync(join(dataDir, 'control.json')), 180_000);
    const created = await runBuiltCli(['keys', 'create', 'sigterm'], env);
    expect(created.code).toBe(0);
    const apiKey = created.stdout.trim();
    fake.setLatency({ ttftMs: 0, tokenMs: 60 });
    const before = fake.requests.length;
    const chat = fetch(`${main.url}/v1/agents/cto/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ message: 'a question worth a long answer', session: 'sigterm' }),
    });
    await waitFor(() => 'the chat never reached the model', () => fake.requests.slice(before).some((r) => r.path === '/api/chat'), 180_000);
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

  it('runs the bot entry idle with one clear line when its token file is empty (as init-secrets leaves it), ready, until SIGTERM', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'council-idle-bot-'));
    const tokenFile = join(folder, 'discord_token');
    writeFileSync(tokenFile, '');
    try {
      // Before, it exited 2 at start: Compose restarted it every few seconds.
      const bot = await startServer({ DATA_DIR: join(folder, 'data'), OLLAMA_BASE_URL: fake.url, DISCORD_TOKEN_FILE: tokenFile }, ['bot']);
      const idleLines = () => bot.output().stdout.split('\n').filter((line) => line.includes('the bot waits idle'));
      await waitFor(() => `no idle line: ${bot.output().stdout}`, () => idleLines().length > 0);
      expect(idleLines()[0]).toContain('secrets/discord_token');
      const ready = await fetch(`${bot.url}/readyz`);
      const body = (await ready.json()) as { ready: boolean; checks: Array<{ name: string; ok: boolean; problem?: string }> };
      expect(body.checks.find((check) => check.name === 'discord')).toEqual({ name: 'discord', ok: true, problem: 'bot is off (DISCORD_TOKEN not set)' });
      expect(ready.status).toBe(200);
      expect(bot.child.exitCode).toBeNull();
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(idleLines()).toHaveLength(1);
      expect(bot.output().stdout).not.toContain('discord bot ready');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a bad setting with exit 2 and a line naming it', async () => {
    const main = startMain([], { CONTROL_PORT: 'eighty' });
    expect(await main.exited).toBe(2);
    expect(main.output().stderr).toContain('CONTROL_PORT="eighty"');
  });

  it('names CONTROL_PORT when the port is in use', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'council-port-'));
    const first = await startServer({ DATA_DIR: folder, OLLAMA_BASE_URL: fake.url });
    try {
      const port = new URL(first.url).port;
      const second = startMain([], { DATA_DIR: mkdtempSync(join(tmpdir(), 'council-port2-')), CONTROL_PORT: port });
      expect(await second.exited).toBe(2);
      expect(second.output().stderr.trim().split('\n')).toEqual([`council: CONTROL_PORT ${port} is in use on 127.0.0.1; stop what listens there or set CONTROL_PORT to a free port`]);
    } finally {
      await first.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('npm start', () => {
  it('stops node too when npm gets SIGTERM', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'council-npm-'));
    const npm = spawnTracked('npm', ['start', '--silent'], { cwd: packageRoot, env: baseEnv({ DATA_DIR: folder, OLLAMA_BASE_URL: fake.url, CONTROL_PORT: String(await freePort()) }) });
    try {
      const endpoint = join(folder, 'control.json');
      await waitFor(() => `npm start did not come up: ${npm.output().stderr}`, () => existsSync(endpoint), 180_000);
      const { pid } = JSON.parse(readFileSync(endpoint, 'utf8')) as { pid: number };
      trackPid(pid);
      expect(pid).not.toBe(npm.child.pid);
      npm.child.kill('SIGTERM');
      await npm.exited;
      await waitFor(() => `node ${pid} still runs after npm stopped`, () => !isAlive(pid), 30_000);
      expect(existsSync(endpoint)).toBe(false);
    } finally {
      await npm.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
