import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf } from '../../core/attachments/minimalPdf.js';
import type { FakeChatRequest } from '../fakes/ollama/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { waitFor } from '../support/waitFor.js';

let h: BotHarness;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

beforeAll(async () => {
  h = await startBotHarness({
    ollama: { models: [{ name: 'llava', kind: 'chat', vision: true }, { name: 'nomic-embed-text', kind: 'embedding' }] },
    env: { MODEL_NAME: 'llava', ATTACHMENT_MAX_COUNT: '3', ATTACHMENT_MAX_BYTES: '50000' },
  });
  h.ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
  await waitFor('the bot to connect', () => h.discord.connected);
});
afterAll(async () => {
  await h?.stop();
});

type Sent = Omit<FakeChatRequest, 'messages'> & { messages: Array<{ role: string; content: string; images?: string[] }> };
const replies = (before: number) => h.ollama.requests.slice(before).filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format).map((r) => r.body as Sent);
const channelPosts = (since: number) => h.discord.calls.filter((c) => c.at >= since && c.method === 'POST' && c.path === `/channels/${h.discord.channelId}/messages`);
const downloads = (since: number) => h.discord.calls.filter((c) => c.at >= since && c.path.startsWith('/attachments/'));

describe('attachments in Discord', () => {
  it('a message with a log, a PDF and a screenshot: downloaded from the CDN, text quoted as untrusted, the image sent to a model that sees', async () => {
    const before = h.ollama.requests.length;
    const since = Date.now();
    h.discord.sendMessage({
      content: 'Priya: why does this fail?',
      attachments: [
        { name: 'app.log', content: 'INFO boot\nERROR pool exhausted after 30 s\n', contentType: 'text/plain' },
        { name: 'design.pdf', content: minimalPdf(['Pool size is 10']), contentType: 'application/pdf' },
        { name: 'graph.png', content: png, contentType: 'image/png' },
      ],
    });
    await waitFor('Priya to be asked', () => replies(before).length > 0);
    const asked = replies(before)[0]!.messages.at(-1)!;
    expect(asked.content).toContain('ERROR pool exhausted after 30 s');
    expect(asked.content).toContain('Pool size is 10');
    expect(asked.content).toContain('trust="untrusted data"');
    expect(asked.images).toEqual([Buffer.from(png).toString('base64')]);
    expect(downloads(since).map((c) => c.status)).toEqual([200, 200, 200]);
  });

  it('a reply to a message with a file brings that file along', async () => {
    const before = h.ollama.requests.length;
    const posted = h.discord.sendMessage({ content: 'here is the diff', author: h.discord.user('Bob'), attachments: [{ name: 'fix.diff', content: '-retries = 3\n+retries = 5\n', contentType: 'text/x-diff' }] });
    h.discord.sendMessage({ content: 'Priya: is this change safe?', referenceMessageId: posted.id });
    await waitFor('Priya to be asked about the diff', () => replies(before).some((r) => r.messages.at(-1)!.content.includes('is this change safe?')));
    const asked = replies(before).find((r) => r.messages.at(-1)!.content.includes('is this change safe?'))!.messages.at(-1)!;
    expect(asked.content).toContain('+retries = 5');
    expect(asked.content).toContain('name="fix.diff"');
  });

  it.each([
    { name: 'more files than ATTACHMENT_MAX_COUNT', files: [1, 2, 3, 4].map((n) => ({ name: `${n}.txt`, content: 'x' })), says: 'the limit is 3 per message (ATTACHMENT_MAX_COUNT)' },
    { name: 'a file Discord says is over ATTACHMENT_MAX_BYTES (not downloaded)', files: [{ name: 'huge.log', content: 'x', size: 60_000 }], says: 'huge.log is 0.06 MB; the limit is 0.05 MB per file' },
    { name: 'an archive', files: [{ name: 'logs.zip', content: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0xff]) }], says: 'logs.zip is a .zip file, which Council cannot read' },
  ])('refuses $name with one line in the channel and no model call', async ({ files, says }) => {
    const before = h.ollama.requests.length;
    const since = Date.now();
    h.discord.sendMessage({ content: 'Priya: look at this', attachments: files });
    const refusal = await h.discord.waitFor((c) => c.at >= since && c.method === 'POST' && c.path === `/channels/${h.discord.channelId}/messages` && String(c.body.content).startsWith('⚠️'), 30_000);
    expect(String(refusal.body.content)).toContain(says);
    expect(String(refusal.body.content).split('\n')).toHaveLength(1);
    expect(replies(before)).toHaveLength(0);
    expect(channelPosts(since)).toHaveLength(1);
    if (files[0]!.name === 'huge.log') expect(downloads(since)).toHaveLength(0);
  });
});
