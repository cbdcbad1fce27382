import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { baseEnv } from '../support/builtEntry.js';
import { spawnTracked } from '../support/children.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
const project = mkdtempSync(join(tmpdir(), 'council-lib-'));

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
  rmSync(project, { recursive: true, force: true });
});

/** The README's Library snippet as written there, then a line that shows its result. */
function readmeSnippet(): string {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const block = /## Library\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no ```ts block under ## Library');
  return `${block}console.log(JSON.stringify({ summary: minutes.summary }));\n`;
}

describe('the library, installed into another folder', () => {
  it('runs the README snippet after `npm install <path>`', async () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'script', private: true, type: 'module' }));
    // dist/ is already built (globalSetup); --ignore-scripts keeps a second compiler out of a busy run.
    const install = spawnTracked('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', packageRoot], { cwd: project, env: { ...process.env } });
    expect(await install.exited, install.output().stderr).toBe(0);
    const snippet = readmeSnippet();
    expect(snippet).toContain("from 'council'");
    writeFileSync(join(project, 'snippet.mjs'), snippet);
    // No DATA_DIR: the installed library (a symlink to this very checkout) must keep to the user's data folder, not the checkout's data/.
    const xdg = join(project, 'xdg');
    const run = spawnTracked(process.execPath, ['snippet.mjs'], { cwd: project, env: baseEnv({ OLLAMA_BASE_URL: fake.url, HOME: join(project, 'home'), XDG_DATA_HOME: xdg, LOG_LEVEL: 'warn' }) });
    expect(await run.exited, run.output().stderr).toBe(0);
    expect(JSON.parse(run.output().stdout.trim().split('\n').at(-1)!).summary.length).toBeGreaterThan(0);
    expect(existsSync(join(xdg, 'council', 'pglite', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(project, 'data'))).toBe(false);
  });

  it("defaults to the checkout's data/ only for the checkout's own entry points", async () => {
    const probe = `const p = await import(${JSON.stringify(join(packageRoot, 'dist', 'core', 'paths.js'))});
const library = p.defaultDataDir();
p.useCheckoutDataDir();
console.log(JSON.stringify({ library, entry: p.defaultDataDir() }));`;
    const run = spawnTracked(process.execPath, ['--input-type=module', '-e', probe], { cwd: project, env: baseEnv({ HOME: join(project, 'home'), XDG_DATA_HOME: '' }) });
    expect(await run.exited, run.output().stderr).toBe(0);
    expect(JSON.parse(run.output().stdout)).toEqual({ library: join(project, 'home', '.local', 'share', 'council'), entry: join(packageRoot, 'data') });
  });
});
