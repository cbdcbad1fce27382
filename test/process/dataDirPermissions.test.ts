import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { assertBuilt, baseEnv, builtMain, freePort } from '../support/builtEntry.js';
import { spawnTracked, waitFor } from '../support/children.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
const root = mkdtempSync(join(tmpdir(), 'council-perms-'));
const dataDir = join(root, 'data');

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

/** `node dist/main.js` started from a shell whose umask lets everyone read what it creates. */
async function startUnderUmask022() {
  assertBuilt();
  const port = await freePort();
  const main = spawnTracked('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, builtMain], {
    cwd: packageRoot,
    env: baseEnv({ DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, CONTROL_PORT: String(port) }),
  });
  await waitFor(
    () => `main did not start: ${main.output().stderr}${main.output().stdout.slice(-2000)}`,
    async () => {
      if (main.child.exitCode !== null) throw new Error(`main exited ${main.child.exitCode}: ${main.output().stderr}`);
      return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true;
    },
    // A first start creates the database (initdb in a child): minutes on a loaded 2-core machine.
    180_000,
  );
  return main;
}

/** Every entry under DATA_DIR (itself included) whose mode is not 0700 for a folder or 0600 for a file. */
function notOwnerOnly(dir: string): string[] {
  const wrong: string[] = [];
  const check = (path: string) => {
    const stats = lstatSync(path);
    const mode = stats.mode & 0o7777;
    if (stats.isDirectory()) {
      if (mode !== 0o700) wrong.push(`${path} ${mode.toString(8)}`);
      for (const name of readdirSync(path)) check(join(path, name));
    } else if (mode !== 0o600) wrong.push(`${path} ${mode.toString(8)}`);
  };
  check(dir);
  return wrong;
}

function loosen(path: string): void {
  const stats = lstatSync(path);
  chmodSync(path, stats.isDirectory() ? 0o777 : 0o666);
  if (stats.isDirectory()) for (const name of readdirSync(path)) loosen(join(path, name));
}

const fixedLine = 'DATA_DIR was open to other users';

describe('DATA_DIR permissions', () => {
  it('a first start under umask 022 writes only owner-only folders (0700) and files (0600)', { timeout: 300_000 }, async () => {
    const main = await startUnderUmask022();
    await waitFor(() => 'no control.json', () => existsSync(join(dataDir, 'control.json')), 60_000);
    expect(notOwnerOnly(dataDir)).toEqual([]);
    expect(readdirSync(join(dataDir, 'pglite')).length).toBeGreaterThan(5);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    expect(notOwnerOnly(dataDir)).toEqual([]);
    // Nothing was loose before this process made it: no claim that it fixed anything.
    expect(main.output().stdout).not.toContain(fixedLine);
  });

  it('a start on a folder others can read and write makes it owner-only and logs once that it did', { timeout: 300_000 }, async () => {
    loosen(dataDir);
    expect(notOwnerOnly(dataDir).length).toBeGreaterThan(100);
    const main = await startUnderUmask022();
    expect(notOwnerOnly(dataDir)).toEqual([]);
    const lines = main.output().stdout.split('\n').filter((line) => line.includes(fixedLine));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 40, dataDir, entries: expect.any(Number) });
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);

    const again = await startUnderUmask022();
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(again.output().stdout).not.toContain(fixedLine);
    expect(notOwnerOnly(dataDir)).toEqual([]);
  });
});
