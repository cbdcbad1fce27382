import { contextOf } from '../../core/contextOf.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CouncilEvent } from '../../core/events.js';
import { meetingTypes } from '../../core/meetings/catalogue.js';
import { minutesSchema } from '../../core/meetings/engine/minutesSchema.js';
import { startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';

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
beforeEach(() => {
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  fake.setResponder(null);
  fake.resetStats();
});

async function collect(events: AsyncIterable<CouncilEvent>): Promise<CouncilEvent[]> {
  const all: CouncilEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const chatBodies = () => fake.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as FakeChatRequest);
/** Structured-output calls are the facilitator's picks and the minutes; the minutes writer says so in its system prompt. */
const isMinutes = (req: FakeChatRequest) => Boolean(req.format) && req.messages[0]!.content.startsWith('You write the minutes');

describe('meetings', () => {
  it.each(meetingTypes.map((t) => [t.id]))('runs a %s to minutes', async (typeId) => {
    const meeting = await tc.council.createMeeting({ type: typeId, title: `A ${typeId}`, topics: ['The first topic'] });
    const events = await collect(tc.council.runMeeting(meeting.id));
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
    const view = await tc.council.getMeeting(meeting.id);
    const type = meetingTypes.find((t) => t.id === typeId)!;
    expect(view.status).toBe('completed');
    // The facilitator may close once everyone was heard; the budget caps the topic at rounds x participants.
    expect(view.turns.length).toBeGreaterThanOrEqual(2 + type.participants.length);
    expect(view.turns.length).toBeLessThanOrEqual(2 + type.participants.length * type.roundsPerTopic);
    expect(view.turns[0]!.kind).toBe('opening');
    expect(view.turns.at(-1)!.kind).toBe('topic_summary');
    const speakers = view.turns.filter((t) => t.kind === 'contribution' || t.kind === 'pass' || t.kind === 'dissent').map((t) => t.agent);
    speakers.forEach((speaker, i) => i > 0 && expect(speaker).not.toBe(speakers[i - 1]));
    expect(view.topics).toHaveLength(1);
    const attendees = [type.facilitator, ...type.participants];
    expect(() => minutesSchema(attendees, Object.keys(type.minutes.sections)).parse(view.minutes)).not.toThrow();
    expect(view.minutes!.action_items.every((item) => attendees.includes(item.owner))).toBe(true);
  });

  it('gives every turn the earlier turns of the meeting', async () => {
    let n = 0;
    fake.setResponder((req) => (req.format ? JSON.stringify({ summary: 's', decisions: [], action_items: [], open_questions: [], risks: [], sections: {} }) : `remark-${++n}`));
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Prompts', topics: ['Topic A', 'Topic B'], participants: ['backend_developer', 'qa_engineer'] });
    await collect(tc.council.runMeeting(meeting.id));
    const turnPrompts = chatBodies().filter((b) => !b.format).map((b) => b.messages.map((m) => m.content).join('\n'));
    expect(turnPrompts.length).toBe(n);
    turnPrompts.forEach((prompt, i) => {
      for (let earlier = 1; earlier <= i; earlier++) expect(prompt).toContain(`remark-${earlier}`);
      expect(prompt).not.toContain(`remark-${i + 1}`);
    });
    const minutesPrompt = chatBodies().find(isMinutes)!.messages.map((m) => m.content).join('\n');
    expect(minutesPrompt).toContain(`remark-${n}`);
  });

  it('records a pass and ends a topic early when everyone passes', async () => {
    fake.setResponder((req) => {
      if (req.format) return JSON.stringify({ summary: 'nothing to add', decisions: [], action_items: [], open_questions: [], risks: [], sections: {} });
      const last = req.messages.at(-1)!.content;
      return last.includes('PASS') ? 'PASS' : 'Opening or summary.';
    });
    // Brainstorming: no independent positions round, so the passes come right after the opening.
    const meeting = await tc.council.createMeeting({ type: 'brainstorming', title: 'Quiet', topics: ['Anything?'], participants: ['backend_developer', 'qa_engineer'] });
    await collect(tc.council.runMeeting(meeting.id));
    const view = await tc.council.getMeeting(meeting.id);
    expect(view.turns.map((t) => t.kind)).toEqual(['opening', 'pass', 'pass', 'topic_summary']);
  });

  it('a retrospective opens each topic with both participants\' own positions, given without seeing each other\'s, then discusses them', async () => {
    fake.setResponder((req) => {
      if (isMinutes(req)) return JSON.stringify({ summary: 'ok', decisions: [], action_items: [], open_questions: [], risks: [], sections: {} });
      if (req.format) return JSON.stringify({ next: 'close', reason: 'done' });
      const prompt = req.messages.map((m) => m.content).join('\n');
      return prompt.includes('state your own position') ? `own view ${prompt.includes('own view') ? 'SAW ANOTHER' : 'alone'}` : 'discussing';
    });
    const meeting = await tc.council.createMeeting({ type: 'retrospective', title: 'Positions', topics: ['What went well?'], participants: ['backend_developer', 'qa_engineer'] });
    await collect(tc.council.runMeeting(meeting.id));
    const view = await tc.council.getMeeting(meeting.id);
    expect(view.turns.slice(0, 3).map((t) => [t.kind, t.agent, t.content])).toEqual([
      ['opening', expect.any(String), 'discussing'],
      ['position', 'backend_developer', 'own view alone'],
      ['position', 'qa_engineer', 'own view alone'],
    ]);
    expect(view.turns.at(-1)?.kind).toBe('topic_summary');
  });

  it('retries invalid minutes once and stores the valid answer', async () => {
    const meeting = await tc.council.createMeeting({ type: 'code_review', title: 'Retry', topics: ['The diff'] });
    const turnCount = 2 + meetingTypes.find((t) => t.id === 'code_review')!.participants.length;
    let calls = 0;
    fake.setResponder((req) => {
      if (!req.format) return 'Looks fine.';
      if (!isMinutes(req)) return 'not a pick';
      calls++;
      return calls === 1 ? 'Here are the minutes: {"summary": ' : JSON.stringify({ summary: 'Ship it', decisions: [{ decision: 'Merge', rationale: 'tests pass' }], action_items: [{ owner: 'qa_engineer', task: 'Add a test' }], open_questions: [], risks: [], sections: { blockers: 'none' } });
    });
    await collect(tc.council.runMeeting(meeting.id));
    const view = await tc.council.getMeeting(meeting.id);
    expect(calls).toBe(2);
    expect(view.turns).toHaveLength(turnCount);
    expect(view.minutes).toMatchObject({ summary: 'Ship it', action_items: [{ owner: 'qa_engineer', task: 'Add a test' }] });
    expect(chatBodies().filter(isMinutes).at(-1)!.messages.at(-1)!.content).toContain('not valid JSON');
    const memories = await tc.council.memory.list({ agentId: 'qa_engineer' });
    expect(memories.some((m) => m.content.includes('Merge'))).toBe(true);
  });

  it('fails with a clear error instead of storing garbage minutes', async () => {
    fake.setResponder((req) => (req.format ? 'not json at all' : 'ok'));
    const meeting = await tc.council.createMeeting({ type: 'daily_standup', title: 'Garbage', topics: ['Today'] });
    const events = await collect(tc.council.runMeeting(meeting.id));
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'failed' });
    const view = await tc.council.getMeeting(meeting.id);
    expect(view.minutes).toBeNull();
    expect(view.error).toContain('valid minutes');
  });

  it('keeps every finished turn when Ollama dies, and resumes without redoing or duplicating any', async () => {
    const meeting = await tc.council.createMeeting({ type: 'architecture_review', title: 'Crash', topics: ['One', 'Two'], participants: ['backend_developer', 'qa_engineer'] });
    let turn = 0;
    fake.setResponder((req) => (req.format ? JSON.stringify({ summary: 'done', decisions: [], action_items: [], open_questions: [], risks: [], sections: { architecture_summary: 'x' } }) : `turn-${++turn}`));
    const events: CouncilEvent[] = [];
    for await (const event of tc.council.runMeeting(meeting.id)) {
      events.push(event);
      if (event.type === 'turn_done' && turn === 5) fake.failNext({ count: 10, status: 500, error: 'runner crashed' });
    }
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'interrupted' });
    const before = await tc.council.getMeeting(meeting.id);
    expect(before.status).toBe('interrupted');
    expect(before.turns.map((t) => t.content)).toEqual(['turn-1', 'turn-2', 'turn-3', 'turn-4', 'turn-5']);
    expect((await tc.council.meetings.reserveTakeovers(() => true)).map((m) => m.id)).toContain(meeting.id);

    fake.failNext({ count: 0 });
    const resumed = await collect(tc.council.runMeeting(meeting.id));
    expect(resumed[0]).toMatchObject({ type: 'meeting_started', resumed: true });
    const after = await tc.council.getMeeting(meeting.id);
    expect(after.status).toBe('completed');
    expect(after.turns.slice(0, 5)).toEqual(before.turns);
    const keys = after.turns.map((t) => `${t.topicIndex}:${t.round}:${t.agent}:${t.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(after.turns).toHaveLength(2 * (2 + 2 * 2));
  });

  it('cancels mid-turn and keeps the turns so far', async () => {
    fake.setLatency({ ttftMs: 0, tokenMs: 30 });
    const meeting = await tc.council.createMeeting({ type: 'brainstorming', title: 'Cancel', topics: ['Ideas'] });
    const controller = new AbortController();
    const events: CouncilEvent[] = [];
    for await (const event of tc.council.runMeeting(meeting.id, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'token' && events.filter((e) => e.type === 'turn_done').length === 2) controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'cancelled' });
    const view = await tc.council.getMeeting(meeting.id);
    expect(view.status).toBe('cancelled');
    expect(view.turns).toHaveLength(2);
    await expect(collect(tc.council.runMeeting(meeting.id))).rejects.toMatchObject({ code: 'meeting_not_resumable' });
  });

  it('takes over a meeting left running by another process (PGlite: no other process can be alive)', async () => {
    const meeting = await tc.council.createMeeting({ type: 'daily_standup', title: 'Orphan', topics: ['x'] });
    const { meetings } = await import('../../core/db/schema.js');
    const { eq } = await import('drizzle-orm');
    await contextOf(tc.council).database.db.update(meetings).set({ status: 'running', runnerId: 'gone:1', leaseUntil: new Date(Date.now() + 60_000) }).where(eq(meetings.id, meeting.id));
    expect((await tc.council.meetings.reserveTakeovers(() => true)).map((m) => m.id)).toContain(meeting.id);
    expect((await collect(tc.council.runMeeting(meeting.id))).at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
  });

  it('starts a meeting created to run at once whose starter died before claiming it, never one left for its creator', async () => {
    const { meetings } = await import('../../core/db/schema.js');
    const { inArray } = await import('drizzle-orm');
    const orphan = await tc.council.createMeeting({ type: 'daily_standup', title: 'Accepted, never claimed', topics: ['Now'], autostart: true });
    const later = await tc.council.createMeeting({ type: 'daily_standup', title: 'Run by its creator later', topics: ['Now'] });
    const fresh = await tc.council.createMeeting({ type: 'daily_standup', title: 'Being claimed right now', topics: ['Now'], autostart: true });
    await contextOf(tc.council).database.db.update(meetings).set({ createdAt: new Date(Date.now() - 120_000) }).where(inArray(meetings.id, [orphan.id, later.id]));
    const reserved = (await tc.council.meetings.reserveTakeovers(() => true)).map((m) => m.id);
    expect(reserved).toContain(orphan.id);
    expect(reserved).not.toContain(later.id);
    expect(reserved).not.toContain(fresh.id);
    expect((await collect(tc.council.runMeeting(orphan.id))).at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
  });

  it('backs off automatic resumes of a meeting that keeps failing, instead of retrying it at once', async () => {
    const { meetings } = await import('../../core/db/schema.js');
    const { eq } = await import('drizzle-orm');
    const meeting = await tc.council.createMeeting({ type: 'daily_standup', title: 'Ollama stays down', topics: ['Now'] });
    fake.failNext({ count: 1000, status: 500, error: 'model runner crashed' });
    try {
      expect((await collect(tc.council.runMeeting(meeting.id))).at(-1)).toMatchObject({ type: 'meeting_ended', status: 'interrupted' });
      const reservedAt = Date.now();
      expect((await tc.council.meetings.reserveTakeovers((m) => m.id === meeting.id)).map((m) => m.id)).toEqual([meeting.id]);
      expect((await collect(tc.council.runMeeting(meeting.id))).at(-1)).toMatchObject({ type: 'meeting_ended', status: 'interrupted' });
      const [row] = await contextOf(tc.council).database.db.select().from(meetings).where(eq(meetings.id, meeting.id));
      expect(row?.attempts).toBe(1);
      // The next try waits the schedule's first step, counted from no earlier than the reservation.
      const { resumeDelayMs } = await import('../../core/meetings/coordination/resumeBackoff.js');
      expect(row?.nextAttemptAt?.getTime() ?? 0).toBeGreaterThanOrEqual(reservedAt + resumeDelayMs(1)!);
      expect(await tc.council.meetings.reserveTakeovers((m) => m.id === meeting.id)).toEqual([]);
    } finally {
      fake.failNext({ count: 0 });
    }
  });

  it('never takes over a meeting this process is running', async () => {
    const meeting = await tc.council.createMeeting({ type: 'daily_standup', title: 'Live', topics: ['Now'] });
    const events: CouncilEvent[] = [];
    let recovered: string[] = ['not called'];
    for await (const event of tc.council.runMeeting(meeting.id)) {
      events.push(event);
      if (event.type === 'turn_done' && recovered[0] === 'not called') {
        recovered = (await tc.council.meetings.reserveTakeovers(() => true)).map((m) => m.id);
        expect((await tc.council.getMeeting(meeting.id)).status).toBe('running');
      }
    }
    expect(recovered).not.toContain(meeting.id);
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
  });

  it('rejects unknown types, unknown participants, no topic and unknown ids', async () => {
    await expect(tc.council.createMeeting({ type: 'architecture_reveiw', title: 't' })).rejects.toThrow(/unknown meeting type "architecture_reveiw"; did you mean architecture_review/);
    await expect(tc.council.createMeeting({ type: 'design_review', title: 't', participants: ['wizard'] })).rejects.toMatchObject({ code: 'unknown_agent' });
    const empty = await tc.council.createMeeting({ type: 'design_review', title: 'Empty' });
    await expect(collect(tc.council.runMeeting(empty.id))).rejects.toMatchObject({ code: 'no_topic' });
    await expect(tc.council.getMeeting('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'unknown_meeting' });
    await expect(tc.council.getMeeting('nope')).rejects.toMatchObject({ code: 'unknown_meeting' });
  });

  it('conducts a meeting through the library API and returns minutes', async () => {
    const meeting = await tc.council.createMeeting({ type: 'architecture_review', title: 'Library', description: 'Billing v2' });
    const minutes = await tc.council.conductMeeting(meeting, ['Service boundaries', 'Data consistency']);
    expect(minutes.summary.length).toBeGreaterThan(0);
    expect((await tc.council.getMeeting(meeting.id)).agenda).toEqual(['Service boundaries', 'Data consistency']);
  });
});

describe.runIf(hasPostgres)('meetings on Postgres', () => {
  it('runs, stores decisions and action items, and resumes', async () => {
    const database = await createTestDatabase();
    const pg = await openTestCouncil({ ollamaUrl: fake.url, databaseUrl: database.url });
    try {
      const meeting = await pg.council.createMeeting({ type: 'go_no_go', title: 'Release 1.2', topics: ['Ship?'] });
      const minutes = await pg.council.conductMeeting(meeting.id);
      const view = await pg.council.getMeeting(meeting.id);
      expect(view.status).toBe('completed');
      expect(view.minutes).toEqual(minutes);
      const { actionItems, decisions } = await import('../../core/db/schema.js');
      expect(await contextOf(pg.council).database.db.select().from(decisions)).toHaveLength(minutes.decisions.length);
      expect(await contextOf(pg.council).database.db.select().from(actionItems)).toHaveLength(minutes.action_items.length);
    } finally {
      await pg.dispose();
      await database.drop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the turn in flight, stores it, and leaves the meeting resumable', async () => {
    fake.setLatency({ ttftMs: 0, tokenMs: 20 });
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Drain', topics: ['API'], participants: ['backend_developer', 'qa_engineer'] });
    const drain = new AbortController();
    const events: CouncilEvent[] = [];
    for await (const event of tc.council.runMeeting(meeting.id, { drain: drain.signal })) {
      events.push(event);
      if (event.type === 'token' && events.filter((e) => e.type === 'turn_done').length === 1) drain.abort();
    }
    fake.setLatency({ ttftMs: 0, tokenMs: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'interrupted' });
    const view = await tc.council.getMeeting(meeting.id);
    expect(view.turns).toHaveLength(2);
    expect(view.turns[1]!.content.length).toBeGreaterThan(20);
    const resumed = await collect(tc.council.runMeeting(meeting.id));
    expect(resumed.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
  });
});
