import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextOf } from '../../core/contextOf.js';
import { cliCaller, discordCaller } from '../../core/memory/scope.js';
import { metrics } from '../../core/metrics.js';
import { fakeEmbedding, idsShown, isExtractionRequest, scriptExtraction, startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { waitFor } from '../support/waitFor.js';

type Fake = Awaited<ReturnType<typeof startFakeOllama>>;
let fake: Fake;
let script: ReturnType<typeof scriptExtraction>;

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  script = scriptExtraction();
  fake.setResponder(script.responder);
});

const outcome = async (name: string) => (await metrics.memoryExtraction.get()).values.find((v) => v.labels.outcome === name)?.value ?? 0;
const memoriesJson = (memories: unknown[]) => JSON.stringify({ memories });

const backends = [
  { name: 'PGlite', enabled: true, open: async () => ({ tc: await openTestCouncil({ ollamaUrl: fake.url }), drop: async () => {} }) },
  {
    name: 'Postgres',
    enabled: hasPostgres,
    open: async () => {
      const database = await createTestDatabase();
      return { tc: await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url }), drop: database.drop };
    },
  },
];

describe.each(backends)('memory extraction on $name', ({ enabled, open }) => {
  let tc: TestCouncil;
  let drop: () => Promise<void>;
  const ana = { ...cliCaller('ana'), name: 'Ana' };
  const list = (agentId: string) => tc.council.memory.list({ agentId, limit: 100 });

  beforeAll(async () => {
    if (!enabled) return;
    ({ tc, drop } = await open());
  });
  afterAll(async () => {
    if (!enabled) return;
    await tc.dispose();
    await drop();
  });

  it.runIf(enabled)('the answer does not wait for extraction, which then stores what the person said with its source message', async () => {
    let release!: (output: string) => void;
    const held = new Promise<string>((resolve) => (release = resolve));
    script.push(() => held);
    const before = await outcome('extracted');
    const reply = await tc.council.chatWithAgent('cto', 'We moved our main database to Postgres 16 last week', { caller: ana, scope: 'x1' });
    expect(reply.reply.length).toBeGreaterThan(0);
    await waitFor('the extraction request', () => script.requests.length === 1);
    expect(await list('cto')).toHaveLength(0);
    release(memoriesJson([{ text: 'The main database runs Postgres 16', kind: 'fact', subject: 'database', relation: 'new' }]));
    const [memory] = await waitFor('the extracted memory', async () => {
      const rows = await list('cto');
      return rows.length > 0 && rows;
    });
    expect(memory).toMatchObject({ content: 'The main database runs Postgres 16', kind: 'fact', subject: 'database', validTo: null });
    expect(memory!.sourceMessageId).toEqual(expect.any(String));
    expect(await outcome('extracted')).toBe(before + 1);
    // Only the person's words went to the extraction: not the reply, no notes.
    const prompt = script.requests[0]!.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('We moved our main database to Postgres 16 last week');
    expect(prompt).not.toContain(reply.reply.slice(0, 40));
  });

  it.runIf(enabled)('a contradiction supersedes the old memory: it stays stored but is no longer recalled', async () => {
    script.push(memoriesJson([{ text: 'The team deploys on Fridays', kind: 'fact', relation: 'new' }]));
    await tc.council.chatWithAgent('devops_engineer', 'We deploy on Fridays', { caller: ana, scope: 'x2' });
    const [old] = await waitFor('the first memory', async () => {
      const rows = await list('devops_engineer');
      return rows.length > 0 && rows;
    });
    script.push((request: FakeChatRequest) => {
      expect(idsShown(request)).toContain(old!.id);
      return memoriesJson([{ text: 'The team deploys on Tuesdays, no longer on Fridays', kind: 'fact', relation: 'contradicts', relatedId: old!.id }]);
    });
    await tc.council.chatWithAgent('devops_engineer', 'We deploy on Tuesdays now, no longer on Fridays', { caller: ana, scope: 'x2b' });
    const rows = await waitFor('the old memory superseded', async () => {
      const all = await list('devops_engineer');
      return all.find((m) => m.id === old!.id)?.validTo ? all : undefined;
    });
    const current = rows.find((m) => m.validTo === null)!;
    expect(current.content).toContain('Tuesdays');
    expect(rows.find((m) => m.id === old!.id)?.supersededBy).toBe(current.id);

    await tc.council.chatWithAgent('devops_engineer', 'Which day do we deploy?', { caller: ana, scope: 'x3' });
    const chats = fake.requests.filter((r) => r.path === '/api/chat' && !isExtractionRequest(r.body as FakeChatRequest));
    const system = (chats.at(-1)!.body as FakeChatRequest).messages[0]!.content;
    expect(system).toContain('Tuesdays');
    expect(system).not.toContain('The team deploys on Fridays');
    // Recall only reads; the memory counts as used once the answer that used it is stored.
    await waitFor('the recalled memory counted as used', async () => (await list('devops_engineer')).find((m) => m.id === current.id)?.accessCount === 1);
    await waitFor('the question extracted too', () => script.requests.length === 3);
  });

  it.runIf(enabled)("a channel's fact said by one person is offered to another's extraction there, which may supersede it; private ones are not offered", async () => {
    const place = { guildId: 'g-x', placeId: 'c-x' };
    const anaHere = discordCaller({ userId: 'ana-x', name: 'Ana', ...place });
    const benHere = discordCaller({ userId: 'ben-x', name: 'Ben', ...place });
    script.push(memoriesJson([{ text: 'The staging cluster lives in Frankfurt', kind: 'fact' }, { text: 'Ana prefers staging deploys in the morning', kind: 'preference' }]));
    await tc.council.chatWithAgent('site_reliability_engineer', 'The staging cluster lives in Frankfurt, and I prefer staging deploys in the morning', { caller: anaHere, scope: 'c-x' });
    const kept = await waitFor('both memories of Ana', async () => {
      const rows = await list('site_reliability_engineer');
      return rows.length === 2 && rows;
    });
    const fact = kept.find((m) => m.kind === 'fact')!;
    const privately = kept.find((m) => m.kind === 'preference')!;
    let shown: string[] = [];
    script.push((request: FakeChatRequest) => {
      shown = idsShown(request);
      return memoriesJson([{ text: 'The staging cluster lives in Dublin', kind: 'fact', relation: 'contradicts', relatedId: fact.id }]);
    });
    await tc.council.chatWithAgent('site_reliability_engineer', 'The staging cluster moved to Dublin', { caller: benHere, scope: 'c-x' });
    const rows = await waitFor('Ana\'s fact superseded by Ben\'s', async () => {
      const all = await list('site_reliability_engineer');
      return all.find((m) => m.id === fact.id)?.validTo ? all : undefined;
    });
    expect(shown).toContain(fact.id);
    expect(shown).not.toContain(privately.id);
    const dublin = rows.find((m) => m.content === 'The staging cluster lives in Dublin')!;
    expect(dublin.ownerId).toBe('discord:ben-x');
    expect(rows.find((m) => m.id === fact.id)?.supersededBy).toBe(dublin.id);
  });

  it.runIf(enabled)('a repeat in other words (cosine >= 0.92 between the vectors) merges into the memory it repeats; a closer-than-unrelated but different one is kept', async () => {
    const unit = (dims: number, cos: number) => [cos, Math.sqrt(1 - cos * cos), ...new Array<number>(dims - 2).fill(0)];
    const vectors = new Map([
      ['The build takes ten minutes', 1],
      ['The build takes about ten minutes', 0.95],
      ['The build takes twelve minutes', 0.9],
    ]);
    fake.setEmbedder((text, dims) => (vectors.has(text) ? unit(dims, vectors.get(text)!) : fakeEmbedding(text, dims)));
    try {
      for (const text of vectors.keys()) {
        script.push(memoriesJson([{ text, kind: 'fact', relation: 'new' }]));
        const before = script.requests.length;
        await tc.council.chatWithAgent('performance_engineer', text.toLowerCase(), { caller: ana, scope: 'x-near' });
        await waitFor('the extraction answered', () => script.requests.length === before + 1);
        await waitFor('the memory stored or merged', async () => (await list('performance_engineer')).reduce((n, m) => n + m.seenCount, 0) === [...vectors.keys()].indexOf(text) + 1);
      }
      const rows = await list('performance_engineer');
      expect(rows.map((m) => [m.content, m.seenCount]).sort()).toEqual([
        ['The build takes ten minutes', 2],
        ['The build takes twelve minutes', 1],
      ]);
      const merged = rows.find((m) => m.seenCount === 2)!;
      expect(merged.lastSeenAt.getTime()).toBeGreaterThan(merged.createdAt.getTime());
    } finally {
      fake.setEmbedder(null);
    }
  });

  it.runIf(enabled)('"remember for 2 days": the memory expires then, and from then on is not recalled', async () => {
    script.push(memoriesJson([{ text: 'The staging cluster is frozen', kind: 'fact' }]));
    const before = Date.now();
    await tc.council.chatWithAgent('data_engineer', 'Remember for 2 days: the staging cluster is frozen', { caller: ana, scope: 'x-exp' });
    const [kept] = await waitFor('the memory kept for a while', async () => {
      const rows = await list('data_engineer');
      return rows.length > 0 && rows;
    });
    expect(kept!.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    expect(kept!.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 2 * 86_400_000);
    const lastPrompt = () => (fake.requests.filter((r) => r.path === '/api/chat' && !isExtractionRequest(r.body as FakeChatRequest)).at(-1)!.body as FakeChatRequest).messages[0]!.content;
    await tc.council.chatWithAgent('data_engineer', 'Is the staging cluster frozen?', { caller: ana, scope: 'x-exp' });
    expect(lastPrompt()).toContain('The staging cluster is frozen');
    // Two days on.
    await contextOf(tc.council).database.db.execute(sql`update memories set expires_at = now() - interval '1 minute' where id = ${kept!.id}::uuid`);
    await tc.council.chatWithAgent('data_engineer', 'Is the staging cluster frozen?', { caller: ana, scope: 'x-exp' });
    expect(lastPrompt()).not.toContain('The staging cluster is frozen');
    await waitFor('the questions extracted too', () => script.requests.length === 3);
  });

  it.runIf(enabled)('broken JSON and empty output fall back to the rules and are counted', async () => {
    const invalid = await outcome('invalid');
    const empty = await outcome('empty');
    script.push('{"memories": [{"text": "Ana prefers', '');
    await tc.council.chatWithAgent('qa_engineer', 'I prefer small pull requests', { caller: ana, scope: 'x4' });
    await tc.council.chatWithAgent('qa_engineer', 'thanks, that helps', { caller: ana, scope: 'x4b' });
    await waitFor('both extractions counted', async () => (await outcome('invalid')) === invalid + 1 && (await outcome('empty')) === empty + 1);
    const rows = await list('qa_engineer');
    expect(rows.map((m) => [m.kind, m.content])).toEqual([['preference', 'Ana said: I prefer small pull requests']]);
  });

  it.runIf(enabled)("never keeps the colleague's words or a made-up fact as a memory", async () => {
    script.push(memoriesJson([{ text: 'Ship it behind a flag and watch the error rate for a week', kind: 'decision' }, { text: 'The company has 400 engineers', kind: 'fact' }]));
    const empty = await outcome('empty');
    await tc.council.chatWithAgent('ux_designer', 'what do you think about the onboarding screens?', { caller: ana, scope: 'x5' });
    await waitFor('the extraction done', async () => (await outcome('empty')) === empty + 1);
    expect(await list('ux_designer')).toHaveLength(0);
  });

  it.runIf(enabled)('a paste is kept as a reference with a title and hash, never as a fact, and asks no model', async () => {
    const paste = await outcome('paste');
    const asked = script.requests.length;
    const trace = 'TypeError: cannot read properties of undefined\n    at handler (/srv/api/orders.js:41:9)\n    at route (/srv/api/router.js:12:3)\n    at main (/srv/api/index.js:5:1)';
    await tc.council.chatWithAgent('backend_developer', trace, { caller: ana, scope: 'x6' });
    await waitFor('the paste counted', async () => (await outcome('paste')) === paste + 1);
    const [memory] = await list('backend_developer');
    expect(memory?.kind).toBe('reference');
    expect(memory?.content).toMatch(/^Ana pasted a log: "TypeError: cannot read properties of undefined" \(sha256 [0-9a-f]{16}\)$/);
    // Another test's extraction may still be in the background lane: what counts is that none was about this paste.
    expect(script.requests.slice(asked).filter((request) => request.messages.some((m) => m.content.includes('/srv/api/orders.js')))).toEqual([]);
  });
});
