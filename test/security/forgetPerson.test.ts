import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetSummary } from '../../bot/functions/replies/forgetSummary.js';
import { exportData, toNdjsonLine } from '../../core/backup/exportData.js';
import type { Database } from '../../core/db/database.js';
import { actionItems, conversations, decisions, meetingInbox, meetings, meetingTurns, memories, messages } from '../../core/db/schema.js';
import { citeEvidence } from '../../core/meetings/engine/citeEvidence.js';
import type { Minutes } from '../../core/meetings/engine/minutesSchema.js';
import { forgetUser, removedTurnText } from '../../core/memory/forgetUser.js';
import { databaseBackends, openEmptyDatabase } from '../support/bothDatabases.js';

/**
 * A person who chatted in two conversations, wrote in a shared one, spoke in a
 * completed meeting that cites their turn, owns an action item there, and has
 * a message waiting for a running meeting, is forgotten: the report counts
 * what went, the meeting keeps contiguous turn numbers that the minutes still
 * cite, and an export no longer holds their words or their id.
 */
const person = 'discord:u7';
const secret = 'zebra-plan-7731';
const waiting = 'walrus-note-5520';

async function seed(db: Database['db']) {
  for (const agentId of ['cto', 'qa_engineer']) {
    const [conversation] = await db.insert(conversations).values({ agentId, scope: `discord:c1:u7:${agentId}`, userId: 'u7', ownerId: person, guildId: 'g1' }).returning();
    await db.insert(messages).values([
      { conversationId: conversation!.id, role: 'user', content: `question about ${secret}`, authorId: person, authorName: 'Seven' },
      { conversationId: conversation!.id, role: 'assistant', content: 'an answer' },
      { conversationId: conversation!.id, role: 'user', content: 'thanks', authorId: person, authorName: 'Seven' },
    ]);
  }
  const [shared] = await db.insert(conversations).values({ agentId: 'cto', scope: 'discord:thread-1', ownerId: 'discord:u8', guildId: 'g1' }).returning();
  await db.insert(messages).values([
    { conversationId: shared!.id, role: 'user', content: `in the thread: ${secret}`, authorId: person, authorName: 'Seven' },
    { conversationId: shared!.id, role: 'user', content: 'someone else speaks', authorId: 'discord:u8', authorName: 'Eight' },
  ]);
  await db.insert(memories).values({ agentId: 'cto', ownerId: person, userId: 'u7', guildId: 'g1', kind: 'preference', content: `prefers ${secret}` });

  const minutes: Minutes = {
    summary: 'The team agreed on the rollout.',
    decisions: [{ decision: 'Roll out on Monday', rationale: 'the CTO and QA agreed', source_turns: [3, 5] }],
    action_items: [
      { owner: person, task: 'Write the rollout note', source_turns: [3] },
      { owner: 'cto', task: 'Approve the rollout', source_turns: [3, 5] },
    ],
    open_questions: [],
    risks: [],
    sections: {},
  };
  const [done] = await db
    .insert(meetings)
    .values({ type: 'daily_standup', title: 'Rollout', status: 'completed', facilitator: 'scrum_master', participants: ['cto', 'qa_engineer'], agenda: ['rollout'], ownerId: person, requestedBy: person, guildId: 'g1', minutes })
    .returning();
  await db.insert(meetingTurns).values([
    { meetingId: done!.id, seq: 1, topicIndex: 0, round: 0, agentId: 'scrum_master', kind: 'opening', content: 'Welcome, rollout first.' },
    { meetingId: done!.id, seq: 2, topicIndex: 0, round: 1, agentId: 'cto', kind: 'contribution', content: 'Monday works for me.' },
    { meetingId: done!.id, seq: 3, topicIndex: 0, round: 1, speakerId: person, speakerName: 'Seven', kind: 'human', content: `My view: ${secret}`, externalId: '990001' },
    { meetingId: done!.id, seq: 4, topicIndex: 0, round: 1, speakerId: 'discord:u8', speakerName: 'Eight', kind: 'human', content: 'Fine by me.', externalId: '990002' },
    { meetingId: done!.id, seq: 5, topicIndex: 0, round: 2, agentId: 'qa_engineer', kind: 'contribution', content: 'Tests are green.' },
    { meetingId: done!.id, seq: 6, topicIndex: 0, round: 2, agentId: 'scrum_master', kind: 'topic_summary', content: 'Monday it is.' },
  ]);
  await db.insert(meetingInbox).values({ meetingId: done!.id, speakerId: person, speakerName: 'Seven', text: `My view: ${secret}`, externalId: '990001', turnSeq: 3 });
  await db.insert(decisions).values({ meetingId: done!.id, text: 'Roll out on Monday', rationale: 'agreed', sourceTurns: [3, 5] });
  await db.insert(actionItems).values([
    { meetingId: done!.id, owner: person, ownerKind: 'human', ownerName: 'Seven', task: 'Write the rollout note', sourceTurns: [3] },
    { meetingId: done!.id, owner: 'cto', ownerKind: 'agent', task: 'Approve the rollout', sourceTurns: [3, 5], status: 'done', doneBy: person },
  ]);
  const [running] = await db
    .insert(meetings)
    .values({ type: 'daily_standup', title: 'Next', status: 'running', facilitator: 'scrum_master', participants: ['cto', 'qa_engineer'], agenda: ['next'], guildId: 'g1' })
    .returning();
  await db.insert(meetingInbox).values({ meetingId: running!.id, speakerId: person, speakerName: 'Seven', text: waiting });
  return { meetingId: done!.id };
}

async function exported(db: Database['db']): Promise<string> {
  let text = '';
  for await (const record of exportData(db)) text += toNdjsonLine(record);
  return text;
}

const rowCount = async (db: Database['db'], table: typeof messages | typeof conversations | typeof memories) => (await db.select({ n: count() }).from(table))[0]!.n;

describe.each(databaseBackends)('forgetting a person on $name', ({ name, enabled }) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  let meetingId: string;

  beforeAll(async () => {
    if (!enabled) return;
    ({ database, dispose: cleanup } = await openEmptyDatabase(name));
    ({ meetingId } = await seed(database.db));
  }, 120_000);
  afterAll(async () => {
    if (enabled) await cleanup();
  });

  it('reports what it really removed, messages of the forgotten conversations included, and each meeting message once', async () => {
    if (!enabled) return;
    const db = database.db;
    const before = { conversations: await rowCount(db, conversations), messages: await rowCount(db, messages), memories: await rowCount(db, memories) };
    const result = await forgetUser(db, person);
    expect(result).toEqual({ conversations: 2, messages: 7, memories: 1, meetingTurns: 1, meetingInbox: 1, actionItems: 1 });
    expect(forgetSummary(result)).toBe(`Forgotten: 2 conversations, 7 messages, 1 memory, 2 meeting messages, 1 action item.\nYour turns in meetings keep their place and now read “${removedTurnText}”.`);
    expect(before.conversations - (await rowCount(db, conversations))).toBe(result.conversations);
    expect(before.messages - (await rowCount(db, messages))).toBe(result.messages);
    expect(before.memories - (await rowCount(db, memories))).toBe(result.memories);
    expect(await forgetUser(db, person)).toEqual({ conversations: 0, messages: 0, memories: 0, meetingTurns: 0, meetingInbox: 0, actionItems: 0 });
  });

  it('keeps the meeting\'s turn numbers contiguous: the turn stays, saying it was removed, with no speaker', async () => {
    if (!enabled) return;
    const turns = await database.db.select().from(meetingTurns).where(eq(meetingTurns.meetingId, meetingId)).orderBy(asc(meetingTurns.seq));
    expect(turns.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(turns[2]).toMatchObject({ kind: 'human', content: removedTurnText, speakerId: null, speakerName: null, externalId: null, agentId: null });
    expect(turns[3]).toMatchObject({ speakerId: 'discord:u8', content: 'Fine by me.', externalId: '990002' });
  });

  it('leaves every citation of the minutes resolving to a turn, and drops the person\'s action item from them', async () => {
    if (!enabled) return;
    const db = database.db;
    const turns = await db.select().from(meetingTurns).where(eq(meetingTurns.meetingId, meetingId));
    const [row] = await db.select({ minutes: meetings.minutes, ownerId: meetings.ownerId, requestedBy: meetings.requestedBy }).from(meetings).where(eq(meetings.id, meetingId));
    const minutes = row!.minutes as Minutes;
    // citeEvidence drops numbers that name no turn: minutes it leaves unchanged cite only existing turns.
    expect(citeEvidence(minutes, turns)).toEqual(minutes);
    expect(minutes.decisions[0]!.source_turns).toEqual([3, 5]);
    expect(minutes.action_items).toEqual([{ owner: 'cto', task: 'Approve the rollout', source_turns: [3, 5] }]);
    const seqs = new Set(turns.map((t) => t.seq));
    const stored = [...(await db.select().from(decisions)), ...(await db.select().from(actionItems))];
    expect(stored.flatMap((r) => r.sourceTurns).every((seq) => seqs.has(seq))).toBe(true);
    expect(row).toMatchObject({ ownerId: null, requestedBy: null });
  });

  it('exports no word and no id of the person, and the placeholder in their turn\'s place', async () => {
    if (!enabled) return;
    const text = await exported(database.db);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(waiting);
    expect(text).not.toContain('u7');
    expect(text).not.toContain('Seven');
    expect(text).toContain(JSON.stringify(removedTurnText));
    expect(text).toContain('someone else speaks');
  });
});
