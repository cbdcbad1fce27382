import { Writable } from 'node:stream';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextOf } from '../../core/contextOf.js';
import { createLogger } from '../../core/log.js';
import { messages } from '../../core/db/schema.js';
import type { FakeDiscord, RecordedCall } from '../fakes/discord/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import type { TestCouncil } from '../support/openTestCouncil.js';
import { waitFor } from '../support/waitFor.js';
import { choicesOf, emptyMinutes, isMinutes, isPick } from '../meetings/support/meetingHarness.js';

// A moderator's removal is final: Council never posts again what a moderator deleted.
let harness: BotHarness;
let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;

const longAnswer = 'steady words '.repeat(150).trim();
const logLines: Array<{ msg: string; meetingId?: string }> = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});
const isExecute = (path: string) => /^\/webhooks\/\d+\/tok[^/]+$/.test(path);
const isPostIn = (threadId: string, c: RecordedCall) => c.method === 'POST' && (c.path === `/channels/${threadId}/messages` || c.query.thread_id === threadId);
const isRearchive = (threadId: string, c: RecordedCall) => c.method === 'PATCH' && c.path === `/channels/${threadId}` && c.body.archived === true;
const personaMessagesIn = (channelId: string, since: number) =>
  [...discord.state.messages.values()].filter((m) => m.channel_id === channelId && m.webhook_id && Date.parse(m.timestamp) >= since);
const storedReplies = () =>
  contextOf(tc.council).database.db.select({ content: messages.content, deletedAt: messages.deletedAt, externalId: messages.externalId, externalParts: messages.externalParts }).from(messages).where(eq(messages.role, 'assistant')).orderBy(desc(messages.createdAt));
const ask = (agent: string, message: string) => discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: agent }, { name: 'message', type: 3, value: message }] });
const finalEdit = (token: string) => discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`) && !/Answering|in line/.test(String(c.body.content)), 30_000);

beforeAll(async () => {
  harness = await startBotHarness({ ollama: { parallel: 4 }, env: { DISCORD_MAX_PER_USER: '4', DISCORD_MAX_PER_CHANNEL: '4' }, log: createLogger('info', logSink) });
  ({ ollama, discord, tc } = harness);
});
afterAll(() => harness?.stop());
beforeEach(() => {
  ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
  ollama.setResponder(null);
});

describe('a moderator deletes an answer while it streams', () => {
  it('/ask: the answer ends there, nothing is posted again, generation stops, and the stored reply is marked deleted and leaves the history', async () => {
    ollama.setLatency({ ttftMs: 0, tokenMs: 20 });
    ollama.setResponder(() => longAnswer);
    const since = Date.now();
    const { token } = ask('cto', 'Talk for a while');
    const first = await waitFor('the first text of the answer', () => personaMessagesIn(discord.channelId, since)[0]);
    // Calls are recorded in order: what comes after this index came after the deletion (a timestamp can share its millisecond).
    const deletedAt = discord.calls.length;
    discord.deleteMessage(first.id);

    const edit = await finalEdit(token);
    expect(String(edit.body.content)).toContain('deleted by someone in the channel');
    // Not posted again: no new message, and at most the one edit that was already on its way.
    expect(discord.calls.slice(deletedAt).filter((c) => c.method === 'POST' && isExecute(c.path))).toEqual([]);
    expect(discord.calls.slice(deletedAt).filter((c) => c.method === 'PATCH' && c.path.endsWith(`/messages/${first.id}`)).length).toBeLessThanOrEqual(1);
    expect(personaMessagesIn(discord.channelId, since)).toEqual([]);

    const [reply] = await waitFor('the stored reply', async () => {
      const rows = await storedReplies();
      return rows[0]?.deletedAt ? rows : undefined;
    });
    // Generation stopped: what was stored is the part written before the deletion.
    expect(reply!.content.length).toBeLessThan(longAnswer.length);
    expect(longAnswer.startsWith(reply!.content)).toBe(true);

    ollama.setLatency({ tokenMs: 0 });
    ollama.setResponder(null);
    const before = ollama.requests.length;
    const again = ask('cto', 'And now, briefly?');
    await finalEdit(again.token);
    const prompt = JSON.stringify(ollama.requests.slice(before).map((r) => r.body));
    expect(prompt).toContain('Talk for a while');
    expect(prompt).not.toContain('steady words');
  });

  it('a message addressed to a colleague: the answer ends and nothing at all is posted in the channel', async () => {
    ollama.setLatency({ ttftMs: 0, tokenMs: 20 });
    ollama.setResponder(() => longAnswer);
    const since = Date.now();
    const before = (await storedReplies()).filter((r) => r.deletedAt).length;
    discord.sendMessage({ content: 'Priya: tell me everything about indexes' });
    const first = await waitFor('the first text of the answer', () => personaMessagesIn(discord.channelId, since)[0]);
    const deletedAt = discord.calls.length;
    discord.deleteMessage(first.id);
    await waitFor('the stored reply to be marked deleted', async () => (await storedReplies()).filter((r) => r.deletedAt).length === before + 1);
    expect(discord.calls.slice(deletedAt).filter((c) => c.method === 'POST' && (isExecute(c.path) || c.path === `/channels/${discord.channelId}/messages`))).toEqual([]);
  });

  it('an answer deleted after it was written is marked deleted too', async () => {
    const since = Date.now();
    const { token } = ask('qa_engineer', 'How do we test this?');
    await finalEdit(token);
    const shown = personaMessagesIn(discord.channelId, since)[0]!;
    await waitFor('the answer to carry its Discord id', async () => (await storedReplies()).some((r) => r.externalId === shown.id));
    discord.deleteMessage(shown.id);
    await waitFor('the stored reply to be marked deleted', async () => (await storedReplies()).find((r) => r.externalId === shown.id)?.deletedAt);
  });

  // An answer past 2000 characters is shown in several messages; the stored reply knows the later parts' ids.
  const askLong = async (agent: string, message: string) => {
    ollama.setResponder(() => 'many words '.repeat(400).trim());
    const since = Date.now();
    const { token } = ask(agent, message);
    await finalEdit(token);
    const parts = personaMessagesIn(discord.channelId, since);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const [first, ...later] = parts.map((m) => m.id);
    await waitFor('the answer to carry the ids of all its parts', async () => (await storedReplies()).some((r) => r.externalId === first && r.externalParts?.join() === later.join()));
    return parts.map((m) => m.id);
  };
  const deletedReply = (firstPart: string) => async () => (await storedReplies()).find((r) => r.externalId === firstPart)?.deletedAt;

  it('a later part of a long answer deleted after it was written marks the stored reply deleted, as the first part does', async () => {
    const [first, second] = await askLong('site_reliability_engineer', 'Explain our paging policy in full');
    discord.deleteMessage(second!);
    await waitFor('the stored reply to be marked deleted', deletedReply(first!));
    expect(discord.state.messages.has(first!)).toBe(true);
  });

  it('a bulk deletion marks deleted every answer one of whose parts it names, first or later', async () => {
    const one = await askLong('database_administrator', 'Explain vacuum in full');
    const two = await askLong('database_administrator', 'Explain replication in full');
    const kept = await askLong('database_administrator', 'Explain indexes in full');
    discord.bulkDeleteMessages([one[2]!, two[0]!]);
    await waitFor('both stored replies to be marked deleted', async () => (await deletedReply(one[0]!)()) && (await deletedReply(two[0]!)()));
    expect(await deletedReply(kept[0]!)()).toBeNull();
  });
});

describe('moderators in meeting threads', () => {
  let turn = 0;
  const startMeeting = async (title: string) => {
    discord.sendSlashCommand({
      name: 'meeting',
      options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'design_review' }, { name: 'independent', type: 5, value: false }, { name: 'title', type: 3, value: title }, { name: 'topics', type: 3, value: 'Retries' }, { name: 'participants', type: 3, value: 'backend_developer,qa_engineer' }] }],
    });
    const thread = await waitFor('the thread', () => [...discord.state.channels.values()].find((c) => c.name === title));
    const meeting = await waitFor('the meeting row', async () => tc.council.meetings.inThread(thread.id));
    return { threadId: thread.id, meetingId: meeting.id };
  };
  const status = async (id: string) => (await tc.council.meetings.get(id)).status;

  beforeEach(() => {
    ollama.setResponder((req) => {
      if (isMinutes(req)) return emptyMinutes();
      if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' });
      turn++;
      return `Turn ${turn} opens. ${'more words on retries '.repeat(12)}`;
    });
    ollama.setLatency({ ttftMs: 0, tokenMs: 15 });
  });

  it('a turn\'s message a moderator deletes is not posted again, and the meeting goes on to its minutes', async () => {
    const since = Date.now();
    const { threadId, meetingId } = await startMeeting('Moderated turn');
    const deleted = await waitFor('a turn streaming in the thread', () => personaMessagesIn(threadId, since).find((m) => /^Turn \d+ opens/.test(m.content)));
    const marker = /^Turn \d+ opens/.exec(deleted.content)![0];
    const deletedAt = discord.calls.length;
    discord.deleteMessage(deleted.id);
    await waitFor('the meeting to complete', async () => (await status(meetingId)) === 'completed', 60_000);
    const shown = [...discord.state.messages.values()].filter((m) => m.channel_id === threadId);
    expect(shown.filter((m) => m.content.startsWith(marker))).toEqual([]);
    expect(discord.calls.slice(deletedAt).filter((c) => isExecute(c.path) && String(c.body.content).startsWith(marker))).toEqual([]);
    // Later turns were shown as usual.
    expect(shown.filter((m) => m.webhook_id && /^Turn \d+ opens/.test(m.content)).length).toBeGreaterThan(0);
    // The turn is kept in the record: only its Discord message is gone.
    expect((await tc.council.meetings.get(meetingId)).turns.some((t) => t.content.startsWith(marker))).toBe(true);
  });

  for (const [removal, act, reason] of [
    ['deletes the thread', (threadId: string) => discord.deleteChannel(threadId), 'a moderator deleted the meeting thread'],
    ['archives the thread', (threadId: string) => discord.setThreadState(threadId, { archived: true }), 'a moderator archived the meeting thread'],
  ] as const) {
    it(`a moderator ${removal}: the meeting ends cancelled with the reason, and is not retried`, async () => {
      const since = Date.now();
      const { threadId, meetingId } = await startMeeting(`Removed ${removal}`);
      await waitFor('a turn streaming in the thread', () => personaMessagesIn(threadId, since).some((m) => /^Turn \d+ opens/.test(m.content)));
      const removedAt = discord.calls.length;
      act(threadId);
      await waitFor('the meeting to be cancelled', async () => (await status(meetingId)) === 'cancelled', 30_000);
      const audit = await tc.council.audit.list();
      expect(audit.find((a) => a.action === 'meeting.cancel' && a.target === meetingId)).toMatchObject({ actor: 'discord:moderator', detail: expect.objectContaining({ reason, thread: threadId }) });
      // Nobody will run it again, and nothing more went to the thread (an archived one stays archived).
      expect((await tc.council.meetings.reserveTakeovers(() => true)).map((m) => m.id)).not.toContain(meetingId);
      expect(await tc.council.meetings.runner.has(meetingId)).toBe(false);
      await waitFor('the run to end', async () => !(await tc.council.meetings.runner.has(meetingId)));
      const posted = discord.calls.slice(removedAt).filter((c) => isPostIn(threadId, c) && c.status < 300);
      if (removal === 'deletes the thread') expect(posted).toEqual([]);
      else {
        // A post that crossed the archive on its way (the gateway tells the bot after the fact) reopened the thread; it is archived again after it.
        await waitFor('the thread to stay archived', () => discord.state.channels.get(threadId)!.thread_metadata!.archived);
        const rearchived = discord.calls.findLastIndex((c) => isRearchive(threadId, c));
        if (posted.length > 0) expect(rearchived).toBeGreaterThan(discord.calls.indexOf(posted.at(-1)!));
      }
    });
  }

  for (const [after, personSpeaks] of [['nobody spoke since', false], ['a person reopened it and spoke', true]] as const) {
    it(`a turn's post crosses a moderator's archive and reopens the thread (${after}): the meeting ends cancelled and ${personSpeaks ? 'the thread is left open' : 'the thread is archived again'}`, async () => {
      const { threadId, meetingId } = await startMeeting(`Crossed ${after}`);
      await crossArchive(threadId, meetingId, personSpeaks);
    });
  }

  it('without Manage Threads Council cannot archive the reopened thread again: it stays open and the log says why', async () => {
    discord.setPermission(discord.channelId, 'ManageThreads', false);
    try {
      const { threadId, meetingId } = await startMeeting('Crossed without Manage Threads');
      await crossArchive(threadId, meetingId, false, false);
    } finally {
      discord.setPermission(discord.channelId, 'ManageThreads', true);
    }
  });

  /** A moderator archives the thread right after a turn's last edit, and the gateway tells the bot only after Council's next post reopened it. */
  async function crossArchive(threadId: string, meetingId: string, personSpeaks: boolean, mayArchive = true) {
    // Right after a turn's last edit, so the next call in the thread is a new post (an edit would meet the archive and tell the bot).
    let archivedAt = -1;
    let announce = () => {};
    discord.onceAnswered(
      (c) => c.method === 'PATCH' && c.query.thread_id === threadId && c.status < 300 && /^Turn \d+ opens[^]*\n-# /.test(String(c.body.content)),
      () => {
        archivedAt = discord.calls.length;
        announce = discord.setThreadState(threadId, { archived: true }, { announce: 'later' });
      },
    );
    await waitFor('a post to reopen the thread', () => archivedAt >= 0 && discord.calls.slice(archivedAt).some((c) => isPostIn(threadId, c) && c.status < 300));
    expect(discord.state.channels.get(threadId)!.thread_metadata!.archived).toBe(false);
    if (personSpeaks) discord.sendMessage({ channelId: threadId, content: 'I reopened this on purpose.' });
    announce();
    await waitFor('the meeting to be cancelled', async () => (await status(meetingId)) === 'cancelled', 30_000);
    await waitFor('the run to end', async () => !(await tc.council.meetings.runner.has(meetingId)));
    if (personSpeaks) {
      await waitFor('the open thread to be looked at', () => logLines.some((l) => l.meetingId === meetingId && /a person spoke in it since: left open/.test(l.msg)));
      expect(discord.calls.slice(archivedAt).filter((c) => isRearchive(threadId, c))).toEqual([]);
      expect(discord.state.channels.get(threadId)!.thread_metadata!.archived).toBe(false);
    } else if (!mayArchive) {
      await waitFor('the refusal to be logged', () => logLines.some((l) => l.meetingId === meetingId && l.msg === 'discord thread re-archive failed'));
      expect(discord.calls.slice(archivedAt).filter((c) => isRearchive(threadId, c)).map((c) => c.code)).toEqual([50013]);
      expect(discord.state.channels.get(threadId)!.thread_metadata!.archived).toBe(false);
    } else {
      await waitFor('the thread to be archived again', () => discord.state.channels.get(threadId)!.thread_metadata!.archived);
      const rearchive = discord.calls.findIndex((c, i) => i >= archivedAt && isRearchive(threadId, c));
      expect(rearchive).toBeGreaterThan(-1);
      // Nothing more went to the thread once it was archived again.
      expect(discord.calls.slice(rearchive).filter((c) => isPostIn(threadId, c) && c.status < 300)).toEqual([]);
    }
    expect((await tc.council.meetings.reserveTakeovers(() => true)).map((m) => m.id)).not.toContain(meetingId);
  }
});
