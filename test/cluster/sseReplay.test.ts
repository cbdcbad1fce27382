import { contextOf } from '../../core/contextOf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { ApiKeyStore } from '../../core/auth/apiKeys.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { defaultResponder, startFakeOllama, type FakeOllama } from '../fakes/ollama/index.js';
import type { TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { openCluster } from './support.js';

const log = createLogger('silent');
let fake: FakeOllama;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let nodes: TestCouncil[] = [];
let apps: Array<ReturnType<typeof createControlApp>> = [];
let key = '';
let otherKey = '';

interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

/** Reads server-sent events until `stop` says so (then disconnects) or the stream ends. */
async function readEvents(res: Response, stop: (events: SseEvent[]) => boolean = () => false): Promise<SseEvent[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) => new RegExp(`^${name}: ?(.*)$`, 'm').exec(block)?.[1];
      if (field('data') !== undefined) events.push({ ...(field('id') ? { id: field('id') } : {}), event: field('event') ?? 'message', data: JSON.parse(field('data')!) });
    }
    if (stop(events)) {
      await reader.cancel();
      break;
    }
  }
  return events;
}

describe.skipIf(!hasPostgres)('/v1 meetings across processes', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    let n = 0;
    fake.setResponder((req) => (req.format ? defaultResponder(req) : `Contribution ${++n} with a few more words.`));
    database = await createTestDatabase();
    nodes = await openCluster(2, { ollamaUrl: fake.url, databaseUrl: database.url });
    apps = nodes.map((node) => createControlApp({ council: node.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: node.council, log }) }));
    const keys = new ApiKeyStore(contextOf(nodes[0]!.council).database.db);
    key = (await keys.create('sse')).key;
    otherKey = (await keys.create('someone-else')).key;
  });
  afterAll(async () => {
    for (const node of nodes) await node.council.meetings.runner.stop(1_000);
    for (const node of nodes) await node.dispose();
    await database?.drop();
    await fake?.stop();
  });

  /** Stored turns come as the core's turn events, a persona's or a person's, with id = turn seq. */
  const isTurn = (e: { event?: string }) => e.event === 'turn_done' || e.event === 'human_turn';

  it('replays stored turns then live ones on another process, and after a reconnect with Last-Event-ID yields every turn exactly once', async () => {
    fake.setLatency({ ttftMs: 0, tokenMs: 15 });
    const created = await apps[0]!.request('/v1/meetings', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ type: 'daily_standup', title: 'Followed', topics: ['Yesterday', 'Today'] }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get('location')).toBe(`/v1/meetings/${id}`);

    // Another key cannot follow it.
    expect((await apps[1]!.request(`/v1/meetings/${id}/events`, { headers: { authorization: `Bearer ${otherKey}` } })).status).toBe(404);

    // Follow on process B, disconnect after two turns: the meeting carries on without us.
    const first = await readEvents(await apps[1]!.request(`/v1/meetings/${id}/events`, { headers: { authorization: `Bearer ${key}` } }), (events) => events.filter(isTurn).length >= 2);
    const seen = first.filter(isTurn);
    const lastId = seen.at(-1)!.id!;
    const rest = await readEvents(await apps[1]!.request(`/v1/meetings/${id}/events`, { headers: { authorization: `Bearer ${key}`, 'last-event-id': lastId } }));
    fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    const all = [...seen, ...rest.filter(isTurn)].map((e) => Number(e.id));
    expect(rest.at(-1)).toMatchObject({ event: 'meeting_ended', data: { status: 'completed' } });
    const stored = (await nodes[1]!.council.getMeeting(id)).turns.map((t) => t.seq);
    expect(all).toEqual(stored);
    expect(new Set(all).size).toBe(all.length);
  });
});
