import { contextOf } from '../../core/contextOf.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { actionItems, decisions } from '../../core/db/schema.js';
import type { CouncilEvent } from '../../core/events.js';
import { metrics } from '../../core/metrics.js';
import { startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { chatBodies, choicesOf, consume, emptyMinutes, floorTally, isMinutes, isPick, turnPrompts, waitFor } from './support/meetingHarness.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;

beforeAll(async () => {
  fake = await startFakeOllama();
  // The longest wait allowed: a meeting that asked the people goes on only because someone answered, never because the wait ran out within a test.
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { MEETING_HUMAN_WAIT_MS: '3600000' } });
});
afterAll(async () => {
  await tc.dispose();
  await fake.stop();
});
beforeEach(() => {
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  fake.failNext({ count: 0 });
  fake.resetStats();
});

const participants = ['backend_developer', 'qa_engineer', 'frontend_developer'];
let remark = 0;
/** Facilitator picks the first valid speaker (never close or the people unless `pick` says so); turns say remark-N. */
function script(options: { pick?: (req: FakeChatRequest) => string; minutes?: (req: FakeChatRequest) => string } = {}) {
  fake.setResponder((req) => {
    if (isMinutes(req)) return options.minutes?.(req) ?? emptyMinutes();
    if (isPick(req)) return options.pick?.(req) ?? JSON.stringify({ next: choicesOf(req).find((c) => c !== 'close' && c !== 'humans'), reason: 'their turn' });
    return `remark-${++remark} from the meeting`;
  });
}

async function fallbacks(): Promise<Record<string, number>> {
  const { values } = await metrics.facilitatorFallbacks.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.reason), v.value]));
}

const contiguous = (seqs: number[]) => seqs.every((seq, i) => seq === i + 1);

describe('people in meetings', () => {
  it('hears a message posted during round 1 in every later turn, and the person it names answers next', async () => {
    script();
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Human turn', topics: ['Rollback plan'], participants });
    fake.setLatency({ tokenMs: 5 });
    let postedAt = -1;
    const run = consume(tc.council.runMeeting(meeting.id), (event) => {
      // While Priya (backend_developer) streams her first contribution, a person asks her directly.
      if (event.type === 'turn_started' && event.kind === 'contribution' && event.agent === 'backend_developer' && postedAt < 0) {
        postedAt = turnPrompts(fake).length;
        void tc.council.meetings.post(meeting.id, 'Priya, what about the database rollback? Keep the old schema for a week.', { ownerId: 'cli:ana', name: 'Ana', guildId: null, placeId: null }, { externalId: 'ext-1' });
      }
    });
    const events = await run.done;
    fake.setLatency({ tokenMs: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
    const view = await tc.council.getMeeting(meeting.id);
    const human = view.turns.find((t) => t.kind === 'human')!;
    expect(human).toMatchObject({ agent: null, speaker: 'Ana', speakerId: 'cli:ana', externalId: 'ext-1' });
    expect(contiguous(view.turns.map((t) => t.seq))).toBe(true);
    // Every turn prompt after the one in flight carries the message; the minutes too.
    // postedAt counted the prompts before the one in flight when the person spoke; that one could not hear it.
    const later = turnPrompts(fake).slice(postedAt + 1);
    expect(later.length).toBeGreaterThan(2);
    for (const prompt of later) expect(prompt).toContain('Keep the old schema for a week');
    expect(chatBodies(fake).find(isMinutes)!.messages.at(-1)!.content).toContain(`#${human.seq} [Ana, person in the meeting]`);
    // Addressed by name, Priya answers in the very next slot, even though she just spoke.
    const next = view.turns.find((t) => t.seq > human.seq && t.kind !== 'human')!;
    expect(next.agent).toBe('backend_developer');
    expect(events).toContainEqual(expect.objectContaining({ type: 'next_speaker', next: 'backend_developer', source: 'addressed' }));
    expect(turnPrompts(fake).find((p) => p.includes('Ana spoke to you by name'))).toBeDefined();
  });

  it('pauses after the turn in flight, sends no model request while paused, and resumes with contiguous turns', async () => {
    script();
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Pause', topics: ['Caching'], participants });
    fake.setLatency({ tokenMs: 10 });
    let pauseAsked = false;
    const run = consume(tc.council.runMeeting(meeting.id), (event) => {
      if (event.type === 'token' && event.kind === 'contribution' && !pauseAsked) {
        pauseAsked = true;
        void tc.council.meetings.pause(meeting.id);
      }
    });
    await waitFor('the meeting to pause', async () => (await tc.council.getMeeting(meeting.id)).status === 'paused');
    const paused = await tc.council.getMeeting(meeting.id);
    // The contribution that was streaming was finished and stored: opening + that one.
    expect(paused.turns.map((t) => t.kind)).toEqual(['opening', 'contribution']);
    expect(paused.turns[1]!.content).toMatch(/^remark-\d+ from the meeting$/);
    const requests = fake.requests.length;
    const quietSince = Date.now();
    await waitFor('a quiet stretch while paused', () => Date.now() - quietSince >= 400 || fake.requests.length !== requests);
    expect(fake.requests.length).toBe(requests);
    expect(run.seen.filter((e) => e.type === 'meeting_paused')).toHaveLength(1);
    const { needsRunner } = await tc.council.meetings.resume(meeting.id);
    expect(needsRunner).toBe(false);
    const events = await run.done;
    fake.setLatency({ tokenMs: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
    const view = await tc.council.getMeeting(meeting.id);
    expect(contiguous(view.turns.map((t) => t.seq))).toBe(true);
    expect(view.turns.slice(0, 2)).toEqual(paused.turns);
    expect(view.turns.filter((t) => t.kind === 'opening')).toHaveLength(1);
  });

  it('keeps a paused meeting paused across a restart, then resumes it without redoing a turn', async () => {
    script();
    const own = await openTestCouncil({ ollamaUrl: fake.url });
    const meeting = await own.council.createMeeting({ type: 'design_review', independent: false, title: 'Restart', topics: ['Queues'], participants });
    const drain = new AbortController();
    const run = consume(own.council.runMeeting(meeting.id, { drain: drain.signal }), (event) => {
      if (event.type === 'turn_done' && event.kind === 'opening') void own.council.meetings.pause(meeting.id);
      if (event.type === 'meeting_paused') drain.abort();
    });
    const events = await run.done;
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'paused' });
    const before = await own.council.getMeeting(meeting.id);
    await own.close();

    const again = await openTestCouncil({ ollamaUrl: fake.url, dataDir: own.dataDir });
    try {
      expect((await again.council.getMeeting(meeting.id)).status).toBe('paused');
      const resumed = await again.council.meetings.resume(meeting.id);
      expect(resumed.needsRunner).toBe(true);
      const after = await consume(again.council.runMeeting(meeting.id)).done;
      expect(after.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
      const view = await again.council.getMeeting(meeting.id);
      expect(view.turns.slice(0, before.turns.length)).toEqual(before.turns);
      expect(contiguous(view.turns.map((t) => t.seq))).toBe(true);
      expect(view.turns.filter((t) => t.kind === 'opening')).toHaveLength(1);
    } finally {
      await again.dispose();
    }
  });

  it('cancels paused and interrupted meetings, keeping their turns', async () => {
    script();
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Cancel paused', topics: ['X'], participants });
    // Paused while the opening streams: the first view goes by rule without a model call, so a pause asked only after the opening could land after it.
    fake.setLatency({ tokenMs: 20 });
    const run = consume(tc.council.runMeeting(meeting.id), (event) => {
      if (event.type === 'turn_started' && event.kind === 'opening') void tc.council.meetings.pause(meeting.id);
      if (event.type === 'meeting_paused') void tc.council.meetings.cancel(meeting.id);
    });
    expect((await run.done).at(-1)).toMatchObject({ type: 'meeting_ended', status: 'cancelled' });
    fake.setLatency({ tokenMs: 0 });
    expect((await tc.council.getMeeting(meeting.id)).turns).toHaveLength(1);

    const idle = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Cancel interrupted', topics: ['Y'], participants });
    fake.failNext({ count: 20, status: 500, error: 'down' });
    expect((await consume(tc.council.runMeeting(idle.id)).done).at(-1)).toMatchObject({ status: 'interrupted' });
    fake.failNext({ count: 0 });
    expect((await tc.council.meetings.cancel(idle.id)).status).toBe('cancelled');
    await expect(tc.council.meetings.pause(idle.id)).rejects.toMatchObject({ code: 'meeting_state' });
    await expect(tc.council.meetings.post(idle.id, 'hello?', { ownerId: 'cli:ana', name: 'Ana', guildId: null, placeId: null })).rejects.toMatchObject({ code: 'meeting_state' });
  });
});

describe('the facilitator', () => {
  it('falls back to the participant heard least on invalid JSON, a non-participant and the last speaker, and counts each', async () => {
    const bad = ['not json {', JSON.stringify({ next: 'wizard', reason: 'magic' }), 'repeat'];
    const tally = floorTally();
    let pick = 0;
    script({
      pick: () => {
        const answer = bad[pick++];
        if (answer === 'repeat') return JSON.stringify({ next: tally.lastSpeaker, reason: 'again' });
        return answer ?? JSON.stringify({ next: 'close', reason: 'done' });
      },
    });
    const before = await fallbacks();
    // Four participants: the first round goes by rule, in the order of the invitation; the facilitator is asked from the 5th turn on.
    const four = [...participants, 'devops_engineer'];
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Fallbacks', topics: ['Retries'], participants: four });
    const events = await consume(tc.council.runMeeting(meeting.id), tally.see).done;
    const picks = events.filter((e): e is Extract<CouncilEvent, { type: 'next_speaker' }> => e.type === 'next_speaker');
    expect(picks.slice(0, 7).map((p) => [p.source, p.fallback])).toEqual([
      ['rule', undefined],
      ['rule', undefined],
      ['rule', undefined],
      ['rule', undefined],
      ['fallback', 'invalid_json'],
      ['fallback', 'invalid_choice'],
      ['fallback', 'repeat_speaker'],
    ]);
    expect(picks.slice(0, 4).map((p) => p.next)).toEqual(four);
    const after = await fallbacks();
    for (const reason of ['invalid_json', 'invalid_choice', 'repeat_speaker']) expect((after[reason] ?? 0) - (before[reason] ?? 0)).toBe(1);
    const view = await tc.council.getMeeting(meeting.id);
    expect(view.topics).toEqual([expect.objectContaining({ closedBy: 'facilitator', reason: 'done' })]);
    const speakers = view.turns.filter((t) => t.kind === 'contribution').map((t) => t.agent);
    speakers.forEach((s, i) => i > 0 && expect(s).not.toBe(speakers[i - 1]));
  });

  it('records why a topic closed: the facilitator, or the turn budget', async () => {
    const tally = floorTally();
    const unheard = (req: FakeChatRequest) => choicesOf(req).find((c) => participants.includes(c) && tally.heard(c) === 0);
    script({ pick: (req) => JSON.stringify(choicesOf(req).includes('close') ? { next: 'close', reason: 'we agree on the cache' } : { next: unheard(req), reason: 'go' }) });
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Close', topics: ['Cache', 'Budget'], participants });
    const events = await consume(tc.council.runMeeting(meeting.id), tally.see).done;
    const view = await tc.council.getMeeting(meeting.id);
    expect(view.topics.map((t) => [t.closedBy, t.reason])).toEqual([
      ['facilitator', 'we agree on the cache'],
      ['facilitator', 'we agree on the cache'],
    ]);
    // Close is offered once everyone was heard: three contributions per topic.
    expect(view.turns.filter((t) => t.topicIndex === 0 && t.kind === 'contribution')).toHaveLength(3);
    expect((events.find((e) => e.type === 'minutes') as { markdown: string }).markdown).toContain('closed by the facilitator (we agree on the cache)');

    script({ pick: () => 'nope' });
    const budget = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Budget', topics: ['Long'], participants: ['backend_developer', 'qa_engineer'] });
    await consume(tc.council.runMeeting(budget.id)).done;
    const spent = await tc.council.getMeeting(budget.id);
    expect(spent.topics[0]).toMatchObject({ closedBy: 'budget' });
    expect(spent.turns.filter((t) => t.kind === 'contribution')).toHaveLength(4);
  });

  it('asks the people when it chooses "humans" and goes on as soon as one answers', async () => {
    let asked = false;
    script({
      pick: (req) => {
        if (!asked && choicesOf(req).includes('humans')) {
          asked = true;
          return JSON.stringify({ next: 'humans', reason: 'we need the budget' });
        }
        return JSON.stringify({ next: choicesOf(req).includes('close') ? 'close' : choicesOf(req)[0], reason: 'go' });
      },
    });
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Ask', topics: ['Budget'], participants, ownerId: 'key:k1' });
    await tc.council.meetings.post(meeting.id, 'We are listening.', { ownerId: 'key:k1', name: 'ops-bot', guildId: null, placeId: null });
    const events = await consume(tc.council.runMeeting(meeting.id), (event) => {
      if (event.type === 'waiting_for_people') void tc.council.meetings.post(meeting.id, 'Budget is 2k a month.', { ownerId: 'key:k1', name: 'ops-bot', guildId: null, placeId: null });
    }).done;
    // The hour-long wait ended: the answer ended it, and the meeting went on from there.
    const waited = events.findIndex((e) => e.type === 'waiting_for_people');
    expect(events.slice(waited + 1).find((e) => e.type === 'human_turn' || e.type === 'turn_started')).toMatchObject({ type: 'human_turn', content: 'Budget is 2k a month.' });
    const view = await tc.council.getMeeting(meeting.id);
    const kinds = view.turns.map((t) => t.kind);
    const question = kinds.indexOf('question');
    expect(question).toBeGreaterThan(0);
    expect(view.turns[question]!.agent).toBe('software_architect');
    expect(view.turns[question + 1]).toMatchObject({ kind: 'human', content: 'Budget is 2k a month.' });
    expect(events.at(-1)).toMatchObject({ status: 'completed' });
  });

  it('stores a platform message delivered twice (a gateway replay) as one human turn', async () => {
    script();
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Replayed message', topics: ['Retries'], participants, guildId: 'g1' });
    await tc.council.meetings.post(meeting.id, 'Keep retries idempotent.', { ownerId: 'discord:1', name: 'Ana', guildId: 'g1', placeId: 't1' }, { externalId: 'msg-42' });
    await tc.council.meetings.post(meeting.id, 'Keep retries idempotent.', { ownerId: 'discord:1', name: 'Ana', guildId: 'g1', placeId: 't1' }, { externalId: 'msg-42' });
    await consume(tc.council.runMeeting(meeting.id)).done;
    const humanTurns = (await tc.council.getMeeting(meeting.id)).turns.filter((turn) => turn.kind === 'human');
    expect(humanTurns.map((turn) => turn.content)).toEqual(['Keep retries idempotent.']);
  });
});

describe('minutes with evidence and action items that come back', () => {
  it('cites existing turns for every decision and action item, with a person as owner', async () => {
    script({
      minutes: () =>
        emptyMinutes({
          decisions: [{ decision: 'Keep the old schema for a week', rationale: 'safe rollback', source_turns: [999] }, { decision: 'Ship behind a flag', rationale: '', source_turns: [2, 2, 3] }],
          action_items: [{ owner: 'cli:ana', task: 'Write the rollback runbook', due: 'Friday', source_turns: [] }, { owner: 'qa_engineer', task: 'Test the rollback', source_turns: [4] }],
        }),
    });
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Billing sync #1', topics: ['Rollback'], participants, ownerId: 'cli:ana' });
    await tc.council.meetings.post(meeting.id, 'I will write the rollback runbook; keep the old schema for a week.', { ownerId: 'cli:ana', name: 'Ana', guildId: null, placeId: null });
    await consume(tc.council.runMeeting(meeting.id)).done;
    const view = await tc.council.getMeeting(meeting.id);
    const seqs = new Set(view.turns.map((t) => t.seq));
    const db = contextOf(tc.council).database.db;
    const storedDecisions = await db.select().from(decisions).where(eq(decisions.meetingId, meeting.id));
    const storedItems = await db.select().from(actionItems).where(eq(actionItems.meetingId, meeting.id));
    for (const row of [...storedDecisions, ...storedItems]) {
      expect(row.sourceTurns.length).toBeGreaterThan(0);
      for (const seq of row.sourceTurns) expect(seqs.has(seq)).toBe(true);
    }
    expect(storedDecisions.find((d) => d.text === 'Ship behind a flag')!.sourceTurns).toEqual([2, 3]);
    // The invalid 999 is repaired to the turn that says it: the person's message (seq 1).
    expect(storedDecisions.find((d) => d.text.startsWith('Keep'))!.sourceTurns).toEqual([1]);
    expect(storedItems.find((i) => i.owner === 'cli:ana')).toMatchObject({ ownerKind: 'human', ownerName: 'Ana', due: 'Friday', status: 'open', sourceTurns: [1] });
    expect(storedItems.find((i) => i.owner === 'qa_engineer')).toMatchObject({ ownerKind: 'agent', sourceTurns: [4] });
    expect(view.minutes!.decisions.every((d) => d.source_turns.length > 0)).toBe(true);
  });

  it('carries open items into the next meeting of the same series, asked about first, until marked done', async () => {
    script();
    const next = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Billing sync #2', topics: ['Status'], participants, ownerId: 'cli:ana' });
    const stranger = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Billing sync #3', topics: ['Status'], participants, ownerId: 'key:someone-else' });
    fake.resetStats();
    await consume(tc.council.runMeeting(next.id)).done;
    const first = chatBodies(fake)[0]!.messages.map((m) => m.content).join('\n');
    expect(first).toContain('Write the rollback runbook (owner: Ana, due Friday');
    expect(first).toContain('ask about the open action items');
    fake.resetStats();
    await consume(tc.council.runMeeting(stranger.id)).done;
    expect(chatBodies(fake)[0]!.messages.map((m) => m.content).join('\n')).not.toContain('rollback runbook');

    const mine = await tc.council.meetings.listActions({ owner: 'cli:ana' });
    expect(mine.map((i) => i.task)).toContain('Write the rollback runbook');
    const done = await tc.council.meetings.markActionDone(mine[0]!.id.slice(0, 8), { ownerId: 'cli:ana', name: null, guildId: null, placeId: null });
    expect(done.status).toBe('done');
    await expect(tc.council.meetings.markActionDone(mine[0]!.id, { ownerId: 'cli:ana', name: null, guildId: null, placeId: null })).rejects.toMatchObject({ code: 'meeting_state' });
    expect((await tc.council.meetings.listActions({ owner: 'cli:ana' })).map((i) => i.id)).not.toContain(mine[0]!.id);
  });
});
