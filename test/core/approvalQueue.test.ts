import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextOf } from '../../core/contextOf.js';
import type { Db } from '../../core/db/database.js';
import { toolApprovalQueue } from '../../core/db/schema.js';
import { createLogger } from '../../core/log.js';
import { adminCaller, discordCaller } from '../../core/memory/scope.js';
import type { ApprovalAnswer, ApprovalPort, ApprovalRequest } from '../../core/tools/approvalPort.js';
import { ApprovalQueueStore } from '../../core/tools/approvalQueueStore.js';
import { ApprovalRelay } from '../../core/tools/approvalRelay.js';
import { ApprovalSignals } from '../../core/tools/approvalSignals.js';
import { QueuedApprovals, type QueueTiming } from '../../core/tools/queuedApprovals.js';
import { startFakeOllama, type FakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { waitFor } from '../support/waitFor.js';

// Tool approvals across processes on one Postgres: each side here has its own LISTEN connection, as two processes would.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fake: FakeOllama;
let tc: TestCouncil;
let db: Db;
let store: ApprovalQueueStore;
const log = createLogger('silent');
const opened: Array<{ close(): Promise<void> }> = [];
const dana = discordCaller({ userId: '400000000000000001', name: 'Dana', guildId: '100000000000000001', placeId: '200000000000000001' });
/** Long enough that only a signal, never a poll, can explain an answer within a test. */
const signalsOnly: QueueTiming = { claimMs: 60_000, pollMs: 60_000 };

const question = (signal: AbortSignal, timeoutMs = 60_000): ApprovalRequest => ({ tool: 'council.search_decisions', arguments: { query: 'retries' }, agent: 'backend_developer', requester: dana, mode: 'requester', timeoutMs, signal });
const rows = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(toolApprovalQueue))[0]!.n;

async function signals(): Promise<ApprovalSignals> {
  const opening = await ApprovalSignals.open(database.url, log);
  opened.push(opening);
  return opening;
}

/** A bot process: its relay over its own signal connection, asking through `port`. */
async function bot(port: ApprovalPort, name: string, pollMs = 60_000): Promise<ApprovalRelay> {
  const relay = new ApprovalRelay(store, await signals(), log, name, pollMs);
  relay.serve(port);
  opened.push(relay);
  return relay;
}

/** A face whose person answers only when the test says so, or never; it reports each question it was asked. */
function person() {
  const asked: ApprovalRequest[] = [];
  const answers: Array<(answer: ApprovalAnswer) => void> = [];
  const port: ApprovalPort = {
    request: (request) =>
      new Promise((resolve) => {
        asked.push(request);
        answers.push(resolve);
        request.signal.addEventListener('abort', () => resolve('timeout'), { once: true });
      }),
  };
  return { port, asked, answer: (i: number, answer: ApprovalAnswer) => answers[i]!(answer) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url });
  db = contextOf(tc.council).database.db;
  store = new ApprovalQueueStore(db);
});
// Every relay and connection of a test goes with it: a bot left serving would take the next test's questions.
afterEach(async () => {
  for (const each of opened.splice(0).reverse()) await each.close();
});
afterAll(async () => {
  await tc?.dispose();
  await fake?.stop();
  await database?.drop();
});

describe.skipIf(!hasPostgres)('tool approvals queued for a bot process on one Postgres', () => {
  it('a process without the bot gets the answer a bot process got from the person, by signal alone, and keeps no row', async () => {
    const face = person();
    await bot(face.port, 'bot-a');
    const asker = new QueuedApprovals(store, await signals(), log, signalsOnly);
    const answer = asker.request(question(new AbortController().signal));
    await waitFor('the bot to ask', () => face.asked.length === 1);
    expect(face.asked[0]).toMatchObject({ tool: 'council.search_decisions', arguments: { query: 'retries' }, agent: 'backend_developer', mode: 'requester', timeoutMs: 60_000, requester: dana });
    face.answer(0, 'approved');
    expect(await answer).toBe('approved');
    expect(await rows()).toBe(0);
  });

  it('two bot processes: each question is asked by exactly one of them', async () => {
    const [first, second] = [person(), person()];
    await bot(first.port, 'bot-b1');
    await bot(second.port, 'bot-b2');
    const asker = new QueuedApprovals(store, await signals(), log, signalsOnly);
    const answers = Array.from({ length: 6 }, () => asker.request(question(new AbortController().signal)));
    await waitFor('every question asked', () => first.asked.length + second.asked.length === 6);
    first.asked.forEach((_, i) => first.answer(i, 'denied'));
    second.asked.forEach((_, i) => second.answer(i, 'denied'));
    expect(await Promise.all(answers)).toEqual(Array(6).fill('denied'));
    expect(first.asked.length + second.asked.length).toBe(6);
  });

  it('no bot process takes the question within the claim window: unasked, and nothing is left for a bot that comes later', async () => {
    const asker = new QueuedApprovals(store, await signals(), log, { claimMs: 300, pollMs: 100 });
    expect(await asker.request(question(new AbortController().signal))).toBe('unasked');
    expect(await rows()).toBe(0);
    expect(await store.claim('bot-late')).toBeNull();
  });

  it('the answer is no longer wanted (the chat was stopped): the bot withdraws its question', async () => {
    const face = person();
    await bot(face.port, 'bot-c');
    const asker = new QueuedApprovals(store, await signals(), log, signalsOnly);
    const stop = new AbortController();
    const answer = asker.request(question(stop.signal));
    await waitFor('the bot to ask', () => face.asked.length === 1);
    stop.abort();
    expect(await answer).toBe('timeout');
    await waitFor('the question withdrawn in Discord', () => face.asked[0]!.signal.aborted);
    expect(await rows()).toBe(0);
  });

  it('the bot leaves while the person has not answered: unasked, never a timeout nobody waited for', async () => {
    const face = person();
    const relay = await bot(face.port, 'bot-d');
    const asker = new QueuedApprovals(store, await signals(), log, signalsOnly);
    const answer = asker.request(question(new AbortController().signal));
    await waitFor('the bot to ask', () => face.asked.length === 1);
    await relay.close();
    expect(await answer).toBe('unasked');
  });

  it('a bot that took the question and died: timeout once the person had their time and the claim window passed', async () => {
    const asker = new QueuedApprovals(store, await signals(), log, { claimMs: 5_000, pollMs: 100 });
    const answer = asker.request(question(new AbortController().signal, 300));
    const claimed = await waitFor('a claim by a bot that then dies', () => store.claim('bot-dead'));
    expect(claimed.request.tool).toBe('council.search_decisions');
    expect(await answer).toBe('timeout');
    expect(await rows()).toBe(0);
  });

  it('forgetting the person who asked withdraws the question: the bot stops asking and the call is not run', async () => {
    const face = person();
    await bot(face.port, 'bot-e', 200);
    const asker = new QueuedApprovals(store, await signals(), log, { claimMs: 60_000, pollMs: 200 });
    const answer = asker.request(question(new AbortController().signal));
    await waitFor('the bot to ask', () => face.asked.length === 1);
    await tc.council.memory.forget(dana.ownerId, adminCaller);
    expect(await answer).toBe('unasked');
    await waitFor('the question withdrawn in Discord', () => face.asked[0]!.signal.aborted);
  });
});
