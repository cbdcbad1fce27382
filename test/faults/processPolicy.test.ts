import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { chatOver, createApiKey, metricValue, startMain, waitFor, type MainChild } from './support.js';

const misbehave = join(import.meta.dirname, 'fixtures', 'misbehave.mjs');
let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let main: MainChild | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'council-policy-'));

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterEach(async () => {
  await main?.stop();
  main = undefined;
});
afterAll(async () => {
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('last-resort process policy (main.ts)', () => {
  it('a rejected background promise is logged once and counted, and the process keeps serving', { timeout: 180_000 }, async () => {
    main = await startMain({ DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url }, { preload: [misbehave] });
    expect(await metricValue(main.url, 'council_unhandled_errors_total{kind="rejection"}')).toBe(0);
    main.child.kill('SIGUSR2');
    await waitFor(() => 'rejection not counted', async () => (await metricValue(main!.url, 'council_unhandled_errors_total{kind="rejection"}')) === 1, 10_000);
    const logged = main.lines().filter((line) => String(line.msg).startsWith('unhandled promise rejection'));
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).toContain('nobody listening');
    const chat = await chatOver(main.url, await createApiKey(main.url), 'still there?', 'policy');
    expect(chat.status).toBe(200);
    expect(main.child.exitCode).toBeNull();
  });

  it('an uncaught exception is logged as fatal and the process drains and exits 1 for the supervisor to restart it', { timeout: 180_000 }, async () => {
    main = await startMain({ DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url }, { preload: [misbehave] });
    main.child.kill('SIGHUP');
    expect(await main.exited).toBe(1);
    const fatal = main.lines().filter((line) => line.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.msg).toContain('uncaught exception');
    expect(main.lines().some((line) => line.msg === 'stopped')).toBe(true);
  });
});
