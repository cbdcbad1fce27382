import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';
import { Council } from '../../core/council.js';
import type { CouncilEvent } from '../../core/events.js';
import { createLogger } from '../../core/log.js';
import { MeetingLease } from '../../core/meetings/coordination/meetingLease.js';
import type { MeetingRow, MeetingStore } from '../../core/meetings/store/meetingStore.js';
import { startFakeOllama, type FakeOllama } from '../fakes/ollama/index.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { waitFor } from '../support/waitFor.js';

const timings = { leaseMs: 2_000, renewMs: 100 };
let fake: FakeOllama;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let council: Council;
let sql: postgres.Sql;
const dataDir = mkdtempSync(join(tmpdir(), 'council-lease-log-'));
const lines: Array<{ msg: string; reason?: string; meetingId?: string }> = [];

/**
 * A lease on a meeting that exists nowhere, renewed on the same timer as the
 * runner's: once it has renewed a few times, so would the runner's lease have.
 */
function witness() {
  let renewals = 0;
  const row = { id: 'witness', status: 'pending' } as MeetingRow;
  const store = { find: async () => row, claim: async () => row, renewLease: async () => (renewals++, { control: null, status: 'running' as const }) } as unknown as MeetingStore;
  return MeetingLease.claim(store, row.id, { timings, log: createLogger('silent') }).then(({ lease }) => ({
    lease,
    renewed: async (times: number) => {
      const from = renewals;
      await waitFor(`${times} renewals of the witness lease`, () => renewals >= from + times);
    },
  }));
}

const leaseLost = (meetingId: string) => lines.filter((line) => line.meetingId === meetingId && line.msg.startsWith('meeting lease lost'));
const signal = (meetingId: string, control: 'pause' | 'resume') => sql`select pg_notify('council_meetings', ${JSON.stringify({ meetingId, signal: { type: 'control', control } })})`;

describe.skipIf(!hasPostgres)('the "meeting lease lost" warning tells what happened', () => {
  beforeAll(async () => {
    fake = await startFakeOllama();
    database = await createTestDatabase();
    const config = loadConfig({
      OLLAMA_BASE_URL: fake.url,
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      OLLAMA_RETRIES: '1',
      MEETING_LEASE_MS: String(timings.leaseMs),
      MEETING_LEASE_RENEW_MS: String(timings.renewMs),
    });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    council = await Council.open({ config, log: createLogger('warn', sink) });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await council?.close();
    await database?.drop();
    await fake?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pause, resume, then a face still posting the end (a message deleted mid-stream is posted again): the runner ending its own lease is no loss', async () => {
    const meeting = await council.createMeeting({ type: 'daily_standup', title: 'Pause, resume, delete', topics: ['Today'] });
    fake.setLatency({ ttftMs: 0, tokenMs: 2 });
    const clock = await witness();
    const seen: CouncilEvent['type'][] = [];
    try {
      for await (const event of council.runMeeting(meeting.id)) {
        seen.push(event.type);
        if (event.type === 'turn_done' && !seen.includes('meeting_paused')) {
          await sql`update meetings set control = 'pause' where id = ${meeting.id}`;
          await signal(meeting.id, 'pause');
        }
        if (event.type === 'meeting_paused') {
          await sql`update meetings set control = null where id = ${meeting.id}`;
          await signal(meeting.id, 'resume');
        }
        // The minutes are stored and the lease freed; the face is still busy (Discord: reposting a deleted message, 429s).
        if (event.type === 'minutes' || event.type === 'meeting_ended') await clock.renewed(5);
      }
    } finally {
      clock.lease.release();
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    }
    expect(seen).toContain('meeting_paused');
    expect(seen).toContain('meeting_resumed');
    expect(seen.at(-1)).toBe('meeting_ended');
    const [row] = await sql<Array<{ status: string; lease_until: Date | null }>>`select status, lease_until from meetings where id = ${meeting.id}`;
    expect(row).toEqual({ status: 'completed', lease_until: null });
    const turns = await sql<Array<{ seq: number }>>`select seq from meeting_turns where meeting_id = ${meeting.id} order by seq`;
    expect(turns.map((t) => t.seq)).toEqual(turns.map((_, i) => i + 1));
    expect(leaseLost(meeting.id)).toEqual([]);
  });

  it('a lease that another process really took names that process', async () => {
    const meeting = await council.createMeeting({ type: 'daily_standup', title: 'Taken over', topics: ['Today'] });
    fake.setLatency({ ttftMs: 0, tokenMs: 20 });
    const ended: CouncilEvent[] = [];
    try {
      for await (const event of council.runMeeting(meeting.id)) {
        if (event.type === 'turn_started' && ended.length === 0) {
          await sql`update meetings set runner_id = 'elsewhere:4242:cafe0001', lease_until = now() + interval '1 minute' where id = ${meeting.id}`;
        }
        if (event.type === 'meeting_ended') ended.push(event);
      }
    } finally {
      fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    }
    expect(ended).toMatchObject([{ status: 'interrupted', error: 'another process took over this meeting' }]);
    expect(leaseLost(meeting.id)).toMatchObject([{ reason: 'another process (elsewhere:4242:cafe0001) holds the meeting' }]);
  });
});
