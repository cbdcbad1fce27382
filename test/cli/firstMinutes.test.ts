import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { runBuiltCli } from '../support/builtEntry.js';
import { runCliForTest } from '../support/runCliForTest.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOllama();
  dataDir = mkdtempSync(join(tmpdir(), 'council-first-'));
  env = { OLLAMA_BASE_URL: fake.url, DATA_DIR: dataDir, OLLAMA_RETRIES: '0' };
});
afterAll(async () => {
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const events = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; code?: string; content?: string });

describe('commands that need no database', () => {
  it('prints the version, and help for `help`, `--help` and nothing', async () => {
    const version = await runCliForTest(['--version'], env);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    expect(await runCliForTest(['help'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('council agents') });
    expect((await runCliForTest(['--help'], env)).code).toBe(0);
    const none = await runCliForTest([], env);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
  });

  it('help lists every command the CLI runs', async () => {
    const { stdout } = await runCliForTest(['help'], env);
    const missing = Object.keys(commands).filter((name) => !stdout.includes(`council ${name} `));
    expect(missing).toEqual([]);
  });

  it('lists agents even when the data folder cannot hold a database', async () => {
    const file = join(dataDir, 'not-a-folder');
    writeFileSync(file, 'x');
    expect((await runCliForTest(['agents', '--json'], { ...env, DATA_DIR: file })).code).toBe(0);
    expect((await runCliForTest(['meeting', 'types', '--json'], { ...env, DATA_DIR: file })).code).toBe(0);
  });
});

describe('configuration errors name the variable and the fix, one line each', () => {
  it('DATA_DIR that is a file', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'x');
    const { code, stderr } = await runCliForTest(['memory', 'list'], { ...env, DATA_DIR: file });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([`council: DATA_DIR ${file} is a file, not a folder; set DATA_DIR to a folder (it is created if missing)`]);
  });

  it('DATABASE_URL that is not a URL, OLLAMA_BASE_URL with a path, TEMPERATURE out of range: a line each', async () => {
    const { code, stderr } = await runCliForTest(['memory', 'list'], { ...env, DATABASE_URL: 'notaurl', OLLAMA_BASE_URL: 'http://host/api', TEMPERATURE: 'warm' });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('DATABASE_URL'))).toContain('must be a postgres:// URL');
    expect(lines.find((l) => l.includes('DATABASE_URL'))).not.toContain('notaurl');
    expect(lines.find((l) => l.includes('OLLAMA_BASE_URL'))).toContain('has a path (/api); give the Ollama server\'s root, e.g. http://host');
    expect(lines.find((l) => l.includes('TEMPERATURE'))).toContain('TEMPERATURE="warm"');
  });
});

describe('memory clear', () => {
  it('needs --agent or --all, and --yes when not at a terminal', async () => {
    const bare = await runCliForTest(['memory', 'clear'], env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--all');
    const unconfirmed = await runCliForTest(['memory', 'clear', '--all'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes');
  });

  it('asks at a terminal and deletes nothing unless the answer is yes', async () => {
    await runCliForTest(['ask', 'cto', 'Remember that we deploy on Fridays'], env);
    const declined = await runCliForTest(['memory', 'clear', '--all'], env, { interactive: true, input: 'n\n' });
    // A person answering no is not a failure outside Council: exit 0, as README's Terminal section and `council help` say.
    expect(declined).toMatchObject({ code: 0, stdout: 'nothing cleared\n' });
    expect(declined.stderr).toContain('Delete every conversation and memory');
    const declinedJson = await runCliForTest(['memory', 'clear', '--agent', 'cto', '--json'], env, { interactive: true, input: '\n' });
    expect(declinedJson.code).toBe(0);
    expect(JSON.parse(declinedJson.stdout)).toEqual({ agent: 'cto', declined: true, conversations: 0, memories: 0 });
    expect(JSON.parse((await runCliForTest(['memory', 'list', '--json'], env)).stdout).length).toBeGreaterThan(0);
    const accepted = await runCliForTest(['memory', 'clear', '--all', '--json'], env, { interactive: true, input: 'yes\n' });
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout).memories).toBeGreaterThan(0);
  });
});

describe('chat on piped input', () => {
  it('answers every line in order, treats /commands as commands, and exits 0 at the end', async () => {
    const before = fake.requests.length;
    const { code, stdout } = await runCliForTest(['chat', 'cto', '--json'], env, { input: 'one\n/help\ntwo\n/clear\nthree' });
    expect(code).toBe(0);
    expect(events(stdout).filter((e) => e.type === 'turn_done')).toHaveLength(3);
    const sent = fake.requests.slice(before).filter((r) => r.path === '/api/chat').map((r) => JSON.stringify(r.body));
    expect(sent.some((p) => p.includes('/help') || p.includes('/clear'))).toBe(false);
    expect(sent.findIndex((p) => p.includes('"one"'))).toBeLessThan(sent.findIndex((p) => p.includes('"three"')));
  });

  it('shares the default session with ask', async () => {
    await runCliForTest(['ask', 'qa_engineer', 'Our flaky test is called checkout-spec'], env);
    await runCliForTest(['chat', 'qa_engineer'], env, { input: 'Which test is flaky?\n' });
    const prompt = JSON.stringify(fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format).at(-1)!.body);
    expect(prompt).toContain('checkout-spec');
  });

  it('exits 0 at once on empty input, 1 when a reply failed, 2 on a line over the limit', async () => {
    expect(await runCliForTest(['chat', 'cto'], env, { input: '' })).toMatchObject({ code: 0, stdout: '' });
    fake.failNext({ count: 3, status: 500, error: 'boom' });
    const failed = await runCliForTest(['chat', 'cto', '--json'], env, { input: 'will fail\n' });
    fake.failNext({ count: 0 });
    expect(failed.code).toBe(1);
    expect(events(failed.stdout).some((e) => e.type === 'error')).toBe(true);
    const long = await runCliForTest(['chat', 'cto'], { ...env, MAX_MESSAGE_CHARS: '100' }, { input: `${'x'.repeat(200_000)}\nshort\n` });
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('MAX_MESSAGE_CHARS');
    expect(long.stdout.trim().length).toBeGreaterThan(0);
  });

  it('never waits on /dev/null with the built command', async () => {
    const { code } = await runBuiltCli(['chat', 'cto'], env, { input: '' });
    expect(code).toBe(0);
  });
});

describe('--json everywhere', () => {
  it('consult --json exits 1 when every agent failed, with each error in the JSON', async () => {
    fake.failNext({ count: 6, status: 500, error: 'down' });
    const { code, stdout } = await runCliForTest(['consult', 'hello', '--agents', 'cto,qa_engineer', '--json'], env);
    fake.failNext({ count: 0 });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).every((r: { error: unknown }) => r.error !== null)).toBe(true);
  });

  it('demo --json prints NDJSON events only', async () => {
    const { code, stdout } = await runCliForTest(['demo', '--json'], env);
    expect(code).toBe(0);
    const all = events(stdout);
    expect(all.filter((e) => e.type === 'demo_step')).toHaveLength(3);
    expect(all.some((e) => e.type === 'minutes')).toBe(true);
  });
});
