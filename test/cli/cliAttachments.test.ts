import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf } from '../../core/attachments/minimalPdf.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { runCliForTest } from '../support/runCliForTest.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let dataDir: string;
let files: string;
let env: Record<string, string>;

const prompts = (since: number) =>
  fake.requests
    .slice(since)
    // Replies only: a structured call (format set) is Council's own bookkeeping, not an answer.
    .filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format)
    .map((r) => (r.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content);

beforeAll(async () => {
  fake = await startFakeOllama();
  dataDir = mkdtempSync(join(tmpdir(), 'council-cli-files-'));
  files = mkdtempSync(join(tmpdir(), 'council-cli-attach-'));
  writeFileSync(join(files, 'app.log'), 'INFO start\nERROR connection reset by peer\n');
  writeFileSync(join(files, 'spec.pdf'), minimalPdf(['Timeouts are 30 seconds']));
  writeFileSync(join(files, 'big.bin'), Buffer.alloc(3_000, 1));
  env = { OLLAMA_BASE_URL: fake.url, DATA_DIR: dataDir, ATTACHMENT_MAX_BYTES: '2048' };
});
afterAll(async () => {
  await fake?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('council ask|consult|chat --file', () => {
  it('ask reads every --file into the prompt as quoted, untrusted data', async () => {
    const since = fake.requests.length;
    const result = await runCliForTest(['ask', 'backend_developer', 'what failed?', '--file', join(files, 'app.log'), '--file', join(files, 'spec.pdf'), '--json'], env);
    expect(result.code).toBe(0);
    const [asked] = prompts(since);
    expect(asked).toContain('ERROR connection reset by peer');
    expect(asked).toContain('Timeouts are 30 seconds');
    expect(asked).toContain('trust="untrusted data"');
  });

  it('consult gives each agent the file', async () => {
    const since = fake.requests.length;
    const result = await runCliForTest(['consult', 'thoughts on this log?', '--agents', 'backend_developer,devops_engineer', '--file', join(files, 'app.log'), '--json'], env);
    expect(result.code).toBe(0);
    expect(prompts(since).filter((prompt) => prompt.includes('thoughts on this log?') && prompt.includes('connection reset'))).toHaveLength(2);
  });

  it('chat attaches the files to the first message only', async () => {
    const since = fake.requests.length;
    const result = await runCliForTest(['chat', 'backend_developer', '--file', join(files, 'app.log'), '--session', 'files'], env, { input: 'first question\nsecond question\n' });
    expect(result.code).toBe(0);
    const asked = prompts(since).filter((prompt) => prompt.includes('question'));
    expect(asked).toHaveLength(2);
    expect(asked[0]).toContain('connection reset');
    expect(asked[1]).not.toContain('connection reset');
  });

  it.each([
    { name: 'a missing file', file: 'nope.txt', says: 'cannot read --file', code: 2 },
    { name: 'a folder', file: '.', says: 'cannot read --file', code: 2 },
    { name: 'a file over ATTACHMENT_MAX_BYTES', file: 'big.bin', says: 'big.bin is 0.00 MB; the limit is 0.00 MB per file (ATTACHMENT_MAX_BYTES)', code: 2 },
  ])('refuses $name in one line without calling the model', async ({ file, says, code }) => {
    const since = fake.requests.length;
    const result = await runCliForTest(['ask', 'backend_developer', 'look', '--file', join(files, file)], env);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(says);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(prompts(since)).toHaveLength(0);
  });
});
