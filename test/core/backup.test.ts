import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNdjsonLine } from '../../core/backup/exportData.js';
import { CouncilError } from '../../core/errors.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url });
});
afterAll(async () => {
  await tc.dispose();
  await fake.stop();
});

async function dump(): Promise<string> {
  let text = '';
  for await (const record of tc.council.exportData()) text += toNdjsonLine(record);
  return text;
}

describe('export and import', () => {
  it('restores conversations, messages and memories after a clear, and a second import changes nothing', async () => {
    await tc.council.chatWithAgent('security_engineer', 'Remember that we rotate secrets every 90 days', { scope: 'cli:b', caller: { ownerId: 'discord:u1', name: 'Ana', guildId: 'g1', placeId: 'c1' } });
    await tc.council.chatWithAgent('security_engineer', 'What about API keys?', { scope: 'cli:b', caller: { ownerId: 'discord:u1', name: 'Ana', guildId: 'g1', placeId: 'c1' } });
    const before = await dump();
    const lines = before.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.filter((l) => l.type === 'conversation')).toHaveLength(1);
    expect(lines.filter((l) => l.type === 'message')).toHaveLength(4);
    expect(lines.filter((l) => l.type === 'memory')).toHaveLength(1);

    await tc.council.clearAllMemories();
    expect((await dump()).trim()).toBe('');

    expect(await tc.council.importNdjson(before)).toEqual({ conversations: 1, messages: 4, memories: 1, skipped: 0 });
    expect(await dump()).toBe(before);
    expect(await tc.council.importNdjson(before)).toEqual({ conversations: 0, messages: 0, memories: 0, skipped: 6 });
    expect(await dump()).toBe(before);

    await tc.council.chatWithAgent('security_engineer', 'And database passwords?', { scope: 'cli:b', caller: { ownerId: 'discord:u1', name: 'Ana', guildId: 'g1', placeId: 'c1' } });
    const prompt = (fake.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: Array<{ content: string }> }).messages;
    expect(prompt.some((m) => m.content.includes('What about API keys?'))).toBe(true);
  });

  it('names the bad line and writes nothing', async () => {
    const before = await dump();
    const good = before.split('\n')[0]!;
    const error = await tc.council.importNdjson(`${good}\n{"type":"message","v":1}\nnot json\n`).catch((e) => e);
    expect(error).toBeInstanceOf(CouncilError);
    expect(error.message).toMatch(/^line 2: /);
    expect(await dump()).toBe(before);
    const notJson = await tc.council.importNdjson('{oops').catch((e) => e);
    expect(notJson.message).toContain('line 1 is not valid JSON');
  });

  it('forgets a person everywhere', async () => {
    await tc.council.chatWithAgent('cto', 'Remember that I prefer short answers', { scope: 'discord:c1:u9', caller: { ownerId: 'discord:u9', name: 'Bo', guildId: 'g1', placeId: 'c1' } });
    const result = await tc.council.forgetUser('u9');
    expect(result.conversations).toBe(1);
    expect(result.memories).toBe(1);
    const text = await dump();
    expect(text).not.toContain('u9');
    expect(text).not.toContain('short answers');
  });
});
