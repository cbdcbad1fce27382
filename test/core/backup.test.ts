import { cliCaller } from '../../core/memory/scope.js';
import { contextOf } from '../../core/contextOf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNdjsonLine } from '../../core/backup/exportData.js';
import { CouncilError } from '../../core/errors.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { waitFor } from '../support/waitFor.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { eq } from 'drizzle-orm';
import { meetingInbox, messages } from '../../core/db/schema.js';

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

    expect(await tc.council.importNdjson(before)).toMatchObject({ conversations: 1, messages: 4, memories: 1, skipped: 0 });
    expect(await dump()).toBe(before);
    expect(await tc.council.importNdjson(before)).toMatchObject({ conversations: 0, messages: 0, memories: 0, skipped: 6 });
    expect(await dump()).toBe(before);

    await tc.council.chatWithAgent('security_engineer', 'And database passwords?', { scope: 'cli:b', caller: { ownerId: 'discord:u1', name: 'Ana', guildId: 'g1', placeId: 'c1' } });
    const prompt = (fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format).at(-1)!.body as { messages: Array<{ content: string }> }).messages;
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
    // Memories are extracted after the answer, in the background: forget once this one is kept.
    await waitFor('the preference extracted after the answer', async () => (await tc.council.memory.list({ agentId: 'cto', query: 'short answers' })).length > 0);
    const result = await tc.council.memory.forget('u9', cliCaller());
    expect(result.conversations).toBe(1);
    expect(result.memories).toBe(1);
    const text = await dump();
    expect(text).not.toContain('u9');
    expect(text).not.toContain('short answers');
  });

  it('round-trips every table of user data, also onto a Postgres without pgvector', { timeout: 120_000 }, async () => {
    const meeting = await tc.council.createMeeting({ type: 'architecture_review', title: 'Billing v2', topics: ['Service boundaries'], tools: ['council.search_decisions'] });
    await tc.council.conductMeeting(meeting.id);
    await contextOf(tc.council).database.db.insert(meetingInbox).values({ meetingId: meeting.id, speakerId: 'discord:u1', speakerName: 'Ana', text: 'one more thing', turnSeq: 3 });
    const [reply] = await contextOf(tc.council).database.db.select({ id: messages.id }).from(messages).where(eq(messages.role, 'assistant')).limit(1);
    expect(await tc.council.conversations.replyDeleted({ messageId: reply!.id })).toBe(true);
    const before = await dump();
    expect(before).toMatch(/"deletedAt":"\d{4}-/);
    expect(before).toMatch(/"tools":\["council\.search_decisions@[0-9a-f]{64}"\]/);
    const counts = (text: string) => {
      const byType: Record<string, number> = {};
      for (const line of text.trim().split('\n')) {
        const type = (JSON.parse(line) as { type: string }).type;
        byType[type] = (byType[type] ?? 0) + 1;
      }
      return byType;
    };
    const seen = counts(before);
    for (const type of ['conversation', 'message', 'memory', 'meeting', 'meeting_turn', 'meeting_topic', 'meeting_inbox', 'decision', 'action_item']) {
      expect(seen[type], type).toBeGreaterThan(0);
    }

    const fresh = await openTestCouncil({ ollamaUrl: fake.url });
    try {
      const result = await fresh.council.importNdjson(before);
      expect(result.skipped).toBe(0);
      let again = '';
      for await (const record of fresh.council.exportData()) again += toNdjsonLine(record);
      expect(again).toBe(before);
    } finally {
      await fresh.dispose();
    }

    if (!hasPostgres) return;
    const database = await createTestDatabase();
    const onPostgres = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url });
    try {
      expect(contextOf(onPostgres.council).database.vector).toBe(false);
      await onPostgres.council.importNdjson(before);
      let again = '';
      for await (const record of onPostgres.council.exportData()) again += toNdjsonLine(record);
      expect(counts(again)).toEqual(seen);
      expect(again).toBe(before);
    } finally {
      await onPostgres.close();
      await database.drop();
    }
  });

  it('refuses hostile lines by number and writes nothing', { timeout: 60_000 }, async () => {
    const before = await dump();
    const lines = before.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const memory = lines.find((l) => l.type === 'memory' && Array.isArray(l.embedding))!;
    const conversation = lines.find((l) => l.type === 'conversation')!;
    const meeting = lines.find((l) => l.type === 'meeting')!;
    const fresh = (changes: Record<string, unknown>, base = memory) => JSON.stringify({ ...base, id: crypto.randomUUID(), ...changes });
    const cases: Array<[string, string]> = [
      [fresh({ embedding: [] }), 'embedding is empty'],
      [fresh({ embedding: [0.1, 0.2, 0.3] }), 'dimensions but memories from'],
      [fresh({ content: 'x'.repeat(30 * 1024 * 1024) }), 'memory content has 31457280 characters'],
      [fresh({ agentId: 'no_such_agent' }), 'not a known agent'],
      [fresh({ agentId: 'ghost' }, conversation), 'not a known agent'],
      [fresh({ tools: ['council.search_decisions'] }, meeting), 'must be tools pinned as <server>.<tool>@<sha256>'],
      ['{"type":"memory","v":2,', 'not valid JSON'],
    ];
    const valid = fresh({ content: 'a new and harmless memory' });
    for (const [hostile, problem] of cases) {
      const error = (await tc.council.importNdjson(`${valid}\n${hostile}\n`).catch((e: unknown) => e)) as CouncilError;
      expect(error).toBeInstanceOf(CouncilError);
      expect(error.code).toBe('bad_import');
      expect(error.message).toMatch(/^line 2[: ]/);
      expect(error.message).toContain(problem);
      expect(await dump()).toBe(before);
    }
  });

  it('imports a meeting exported before meetings kept their tools, with none', async () => {
    const exported = (await dump()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const { tools: _tools, ...legacy } = exported.find((l) => l.type === 'meeting')!;
    const id = crypto.randomUUID();
    expect(await tc.council.importNdjson(`${JSON.stringify({ ...legacy, id })}\n`)).toMatchObject({ meetings: 1, skipped: 0 });
    const restored = (await dump()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.id === id);
    expect(restored).toMatchObject({ type: 'meeting', tools: [] });
  });
});
