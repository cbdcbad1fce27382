import { contextOf } from '../../core/contextOf.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';
import { meetings, meetingTurns } from '../../core/db/schema.js';
import type { CouncilEvent } from '../../core/events.js';
import { leaseTimings } from '../../core/meetings/coordination/meetingLease.js';
import { superviseMeetings } from '../../core/meetings/coordination/superviseMeetings.js';
import { createLogger } from '../../core/log.js';
import { defaultResponder, startFakeOllama, type FakeOllama } from '../fakes/ollama/index.js';
import type { TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { openCluster, runMeetingChild, waitFor } from './support.js';

const log = createLogger('silent');
let fake: FakeOllama;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let nodes: TestCouncil[] = [];
let said = 0;

async function collect(events: AsyncIterable<CouncilEvent>): Promise<CouncilEvent[]> {
  const all: CouncilEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

it('the default lease lets another process take over within 60 s of the runner dying', () => {
  const config = loadConfig({});
  const { leaseMs, renewMs } = leaseTimings(config);
  // Worst case: the runner renewed just before dying, then the lease runs out, then the next supervisor tick.
  expect(leaseMs + config.MEETING_SUPERVISE_MS).toBeLessThanOrEqual(60_000);
  expect(renewMs * 2).toBeLessThanOrEqual(leaseMs);
});

describe.skipIf(!hasPostgres)('meetings across processes on one Postgres', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    fake.setResponder((req) => (req.format ? defaultResponder(req) : `Point ${++said} from this speaker, with a few words to stream.`));
    database = await createTestDatabase();
    nodes = await openCluster(2, { ollamaUrl: fake.url, databaseUrl: database.url });
  });
  afterAll(async () => {
    for (const node of nodes) await node.dispose();
    await database?.drop();
    await fake?.stop();
  });

  it('two simultaneous resumes: one runs the meeting, the other is refused, names the runner and changes nothing', async () => {
    const [a, b] = nodes.map((n) => n.council);
    const meeting = await a!.createMeeting({ type: 'daily_standup', title: 'Race', topics: ['Today'] });
    const db = contextOf(a!).database.db;
    await db.update(meetings).set({ status: 'interrupted' }).where(eq(meetings.id, meeting.id));
    fake.setLatency({ ttftMs: 0, tokenMs: 5 });
    const results = await Promise.allSettled([collect(a!.runMeeting(meeting.id)), collect(b!.runMeeting(meeting.id))]);
    fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    const ran = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatchObject({ code: 'meeting_not_resumable' });
    expect(String(refused[0]!.reason.message)).toMatch(/is running on \S+:\d+:/);
    expect((ran[0] as PromiseFulfilledResult<CouncilEvent[]>).value.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
    const turns = await db.select().from(meetingTurns).where(eq(meetingTurns.meetingId, meeting.id));
    expect(turns.map((t) => t.seq).sort((x, y) => x - y)).toEqual(turns.map((_, i) => i + 1));
    expect((await a!.getMeeting(meeting.id)).status).toBe('completed');
  });

  it('stop pressed on process A stops the meeting running on process B before another turn is done', async () => {
    const [a, b] = nodes.map((n) => n.council);
    const meeting = await a!.createMeeting({ type: 'brainstorming', title: 'Stop across', topics: ['Ideas'] });
    fake.setLatency({ ttftMs: 0, tokenMs: 40 });
    const events: CouncilEvent[] = [];
    let stoppedAfter = -1;
    for await (const event of b!.runMeeting(meeting.id)) {
      events.push(event);
      if (event.type === 'turn_done' && stoppedAfter < 0) {
        stoppedAfter = events.length;
        void a!.meetings.cancel(meeting.id);
      }
    }
    fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'cancelled' });
    // Measured against the turn B streamed whole before the stop, at the same pace: after it, no turn finished and less than a turn streamed.
    const tokens = (some: CouncilEvent[]) => some.filter((e) => e.type === 'token').length;
    const after = events.slice(stoppedAfter);
    expect(after.filter((e) => e.type === 'turn_done')).toEqual([]);
    expect(tokens(after)).toBeLessThan(tokens(events.slice(0, stoppedAfter)));
    expect((await b!.getMeeting(meeting.id)).status).toBe('cancelled');
  });

  it('a runner killed with SIGKILL mid-meeting: another process completes it, no turn lost or duplicated', async () => {
    const [a] = nodes.map((n) => n.council);
    const meeting = await a!.createMeeting({ type: 'daily_standup', title: 'Killed', topics: ['Yesterday', 'Today'] });
    fake.setLatency({ ttftMs: 0, tokenMs: 25 });
    const child = runMeetingChild(meeting.id, { DATABASE_URL: database.url, OLLAMA_BASE_URL: fake.url, DATA_DIR: nodes[0]!.dataDir, OLLAMA_RETRIES: '1' });
    try {
      await waitFor('two turns stored by the child', () => child.lines.filter((l) => l.type === 'turn_done').length >= 2, 150_000);
      child.child.kill('SIGKILL');
      await child.exited;
      const db = contextOf(a!).database.db;
      const [dead] = await db.select().from(meetings).where(eq(meetings.id, meeting.id));
      const storedByChild = await db.select().from(meetingTurns).where(eq(meetingTurns.meetingId, meeting.id));
      const supervisor = superviseMeetings({ council: a!, log, starter: { accepts: () => true, start: (m) => void a!.meetings.runner.start(m.id) } });
      try {
        const tookOver = await waitFor('another process to claim it', async () => {
          const [row] = await db.select().from(meetings).where(eq(meetings.id, meeting.id));
          return row && row.status === 'running' && row.leaseUntil && row.leaseUntil.getTime() > Date.now() && a!.meetings.runner.has(meeting.id) ? Date.now() : undefined;
        }, 150_000, 50);
        // Nobody took it while the dead runner's lease held; how soon after is the lease's arithmetic, checked above (<= 60 s).
        expect(tookOver).toBeGreaterThanOrEqual(dead!.leaseUntil!.getTime());
        await waitFor('the meeting to complete', async () => (await a!.getMeeting(meeting.id)).status === 'completed', 150_000, 100);
      } finally {
        supervisor.stop();
        fake.setLatency({ ttftMs: 0, tokenMs: 0 });
      }
      const turns = await db.select().from(meetingTurns).where(eq(meetingTurns.meetingId, meeting.id));
      const seqs = turns.map((t) => t.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      for (const kept of storedByChild) expect(turns.find((t) => t.id === kept.id)?.content).toBe(kept.content);
      const contents = turns.map((t) => t.content);
      expect(new Set(contents).size).toBe(contents.length);
    } finally {
      child.child.kill('SIGKILL');
    }
    // The waits above are safety nets, not claims: room for them under a loaded machine.
  }, 360_000);
});
