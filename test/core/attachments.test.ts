import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { minimalPdf } from '../../core/attachments/minimalPdf.js';
import { CouncilError } from '../../core/errors.js';
import type { Caller } from '../../core/memory/scope.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

type Fake = Awaited<ReturnType<typeof startFakeOllama>>;
let fake: Fake;
let tc: TestCouncil;
let blind: TestCouncil;

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const text = (value: string) => new TextEncoder().encode(value);
const ana: Caller = { ownerId: 'discord:111', name: 'Ana', guildId: '900', placeId: '901' };

beforeAll(async () => {
  fake = await startFakeOllama({ models: [{ name: 'llava', kind: 'chat', vision: true }, { name: 'llama3.2', kind: 'chat' }, { name: 'nomic-embed-text', kind: 'embedding' }] });
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { MODEL_NAME: 'llava', ATTACHMENT_MAX_COUNT: '3', ATTACHMENT_MAX_BYTES: '60000' } });
  blind = await openTestCouncil({ ollamaUrl: fake.url, env: { MODEL_NAME: 'llama3.2' } });
});
afterAll(async () => {
  await tc?.dispose();
  await blind?.dispose();
  await fake?.stop();
});
beforeEach(() => {
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  fake.resetStats();
});

type Sent = { model: string; messages: Array<{ role: string; content: string; images?: string[] }> };
const lastChat = (): Sent => fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format).at(-1)!.body as Sent;

describe('attachments in a chat', () => {
  it('quotes text and PDFs as untrusted data, sends images to a model that can see, and stores only references', async () => {
    const log = Array.from({ length: 3_000 }, (_, i) => `${i} INFO ok`).join('\n') + '\nFATAL disk full on /var';
    const reply = await tc.council.chatWithAgent('solutions_architect', 'why did it crash?', {
      caller: ana,
      scope: 'attachments-1',
      attachments: [
        { name: 'app.log', data: text(log) },
        { name: 'design.pdf', data: minimalPdf(['Retries back off exponentially']) },
        { name: 'screen.png', data: png },
      ],
    });
    const sent = lastChat();
    const asked = sent.messages.at(-1)!;
    expect(sent.model).toBe('llava');
    expect(asked.content).toContain('[Ana] why did it crash?');
    expect(asked.content).toContain('trust="untrusted data"');
    expect(asked.content).toContain('FATAL disk full on /var');
    expect(asked.content).toMatch(/lines \([\d,]+ characters\) left out of the middle/);
    expect(asked.content).toContain('Retries back off exponentially');
    expect(asked.images).toEqual([Buffer.from(png).toString('base64')]);
    // The whole prompt stayed inside the context budget (estimateTokens is chars/4).
    const chars = sent.messages.reduce((sum, message) => sum + message.content.length, 0);
    expect(chars / 4).toBeLessThan(4096);

    const exported = [];
    for await (const record of tc.council.exportData()) exported.push(record);
    const stored = exported.find((record) => record.type === 'message' && record.id !== reply.messageId && record.content === 'why did it crash?') as { attachments: Array<{ name: string; size: number; sha256: string; kind: string }> };
    expect(stored.attachments.map((ref) => [ref.name, ref.kind])).toEqual([['app.log', 'text'], ['design.pdf', 'pdf'], ['screen.png', 'image']]);
    expect(stored.attachments[0]!.size).toBe(text(log).byteLength);
    expect(stored.attachments.every((ref) => /^[0-9a-f]{64}$/.test(ref.sha256))).toBe(true);
    expect(JSON.stringify(exported)).not.toContain('FATAL disk full');

    const forgotten = await tc.council.memory.forget('discord:111', { ownerId: 'admin', name: null, guildId: null, placeId: null });
    expect(forgotten.messages).toBeGreaterThan(0);
    const after = [];
    for await (const record of tc.council.exportData()) after.push(record);
    expect(JSON.stringify(after)).not.toContain('app.log');
  });

  it('tells a model that cannot see that an image was attached, and sends no image', async () => {
    await blind.council.chatWithAgent('solutions_architect', 'what is on this screen?', { caller: ana, scope: 'attachments-2', attachments: [{ name: 'screen.png', data: png }] });
    const asked = lastChat().messages.at(-1)!;
    expect(asked.content).toContain("this colleague's model (llama3.2) cannot see images");
    expect(asked.images).toBeUndefined();
    // /api/show was asked once for the model, then remembered.
    await blind.council.chatWithAgent('solutions_architect', 'and this one?', { caller: ana, scope: 'attachments-2b', attachments: [{ name: 'again.png', data: png }] });
    expect(fake.requests.filter((r) => r.path === '/api/show' && (r.body as { model: string }).model === 'llama3.2')).toHaveLength(1);
  });

  it.each([
    { name: 'too many files', files: ['a', 'b', 'c', 'd'].map((n) => ({ name: `${n}.txt`, data: text(n) })), code: 'bad_usage' },
    { name: 'a file over ATTACHMENT_MAX_BYTES', files: [{ name: 'big.log', data: text('x'.repeat(60_001)) }], code: 'message_too_long' },
    { name: 'an archive', files: [{ name: 'x.zip', data: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0xff]) }], code: 'unsupported_media_type' },
  ])('refuses $name before any model call', async ({ files, code }) => {
    const error = await tc.council.chatWithAgent('solutions_architect', 'look', { caller: ana, scope: 'attachments-3', attachments: files }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CouncilError);
    expect((error as CouncilError).code).toBe(code);
    expect(fake.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
  });

  it('a message with only attachments is answered', async () => {
    const reply = await tc.council.chatWithAgent('solutions_architect', '', { caller: ana, scope: 'attachments-4', attachments: [{ name: 'notes.md', data: text('# Plan\nship friday') }] });
    expect(reply.reply.length).toBeGreaterThan(0);
    expect(lastChat().messages.at(-1)!.content).toContain('ship friday');
  });
});
