import { contextOf } from '../../core/contextOf.js';
import { and, eq, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/waitFor.js';
import type { RunningBot } from '../../bot/startBot.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { interruptedNote } from '../../bot/functions/meetings/interruptedNote.js';
import { meetings } from '../../core/db/schema.js';
import { maxResumeAttempts } from '../../core/meetings/coordination/resumeBackoff.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import type { TestCouncil } from '../support/openTestCouncil.js';

let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let bot: RunningBot;
let harness: BotHarness | undefined;

const threadPosts = (threadId: string) => discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages` && c.status === 200).map((c) => String(c.body.content ?? ''));

beforeAll(async () => {
  harness = await startBotHarness({ env: { MEETING_SUPERVISE_MS: '200' } });
  ({ ollama, discord, tc, bot } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

describe('automatic meeting resumes', () => {
  // Safety nets, not bounds: a whole meeting after the manual resume takes minutes on a loaded 2-core machine.
  it('say when the next try is due, then give up with exactly one message saying how to resume by hand, which works', { timeout: 360_000 }, async () => {
    ollama.failNext({ count: 100_000, status: 500, error: 'model runner crashed', path: 'chat' });
    const { token } = discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'daily_standup' }, { name: 'title', type: 3, value: 'Doomed standup' }, { name: 'topics', type: 3, value: 'Yesterday' }] }] });
    await discord.waitFor((c) => c.path.endsWith(`${token}/messages/@original`));
    const threadId = [...discord.state.channels.values()].find((c) => c.name === 'Doomed standup')!.id;
    const meetingId = (await tc.council.meetings.inThread(threadId))!.id;
    await waitFor('the first interruption note', () => threadPosts(threadId).some((p) => p.startsWith('Meeting interrupted')), 30_000);
    expect(threadPosts(threadId).find((p) => p.startsWith('Meeting interrupted'))).toMatch(new RegExp(`attempt \\d of ${maxResumeAttempts}`));

    // Skip the hours of backoff: the next automatic try is the last one.
    const db = contextOf(tc.council).database.db;
    await waitFor('the last automatic try to fail', async () => {
      // Whichever earlier try the supervisor reserved, its backoff (minutes) is skipped too.
      await db.update(meetings).set({ attempts: maxResumeAttempts - 1, nextAttemptAt: null }).where(and(eq(meetings.id, meetingId), eq(meetings.status, 'interrupted'), lt(meetings.attempts, maxResumeAttempts - 1)));
      const row = await tc.council.meetings.inThread(threadId);
      return row!.status === 'interrupted' && row!.attempts >= maxResumeAttempts && threadPosts(threadId).some((p) => p.includes('I gave up'));
    }, 30_000);
    expect(await tc.council.meetings.reserveTakeovers(() => true)).toEqual([]);
    const gaveUp = threadPosts(threadId).filter((p) => p.includes('I gave up'));
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toContain('/meeting resume');
    expect(gaveUp[0]).toContain(`council meeting resume ${meetingId}`);

    ollama.failNext({ count: 0 });
    const resumed = discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'resume', type: 1 }], channelId: threadId });
    await discord.waitFor((c) => c.path.includes(`${resumed.token}/callback`));
    let last = '';
    await waitFor(() => `the meeting to complete (${last}; reply: ${JSON.stringify(discord.calls.filter((c) => c.path.includes(resumed.token)).map((c) => c.body)).slice(0, 400)}; posts: ${threadPosts(threadId).slice(-3).join(' / ').slice(0, 400)})`, async () => {
      const m = await tc.council.getMeeting(meetingId);
      last = `${m.status} attempts=${(m as { attempts?: number }).attempts}`;
      return m.status === 'completed';
    }, 240_000);
    expect(threadPosts(threadId).filter((p) => p.includes('I gave up'))).toHaveLength(1);
  });

  it('words the note from the stored attempts and next try', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(interruptedNote({ id: 'm1', attempts: 2, nextAttemptAt: new Date(now + 4 * 60_000), error: 'Ollama is unreachable' }, now)).toBe(
      `Meeting interrupted (Ollama is unreachable); it will resume here by itself in about 4 minutes (attempt 3 of ${maxResumeAttempts}), or now with /meeting resume.`,
    );
    expect(interruptedNote({ id: 'm1', attempts: maxResumeAttempts, nextAttemptAt: null, error: null }, now)).toContain(`gave up on this meeting after ${maxResumeAttempts} automatic attempts`);
  });
});
