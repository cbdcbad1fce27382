import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/waitFor.js';
import type { RunningBot } from '../../bot/startBot.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { registry } from '../../core/metrics.js';
import type { FakeDiscord, RecordedCall } from '../fakes/discord/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import type { TestCouncil } from '../support/openTestCouncil.js';

// Each test reproduces a crash or stuck state seen against real Discord rules; all run on the strict stand-in.
let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let bot: RunningBot;
let harness: BotHarness | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

const ask = (agent: string, message: string, extra: { channelId?: string; user?: ReturnType<FakeDiscord['user']> } = {}) =>
  discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: agent }, { name: 'message', type: 3, value: message }], ...extra });
/** The reply's last word, not the "waiting in line" notice (and the "Answering…" that clears it) shown while a model slot is busy: background memory extraction takes one too. */
const finalEdit = (token: string) =>
  discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`) && c.status === 200 && !/^(⏳ Waiting in line|Answering…$)/.test(String(c.body.content ?? '')), 30_000);
const refusedPayloads = () => discord.calls.filter((c) => c.status === 400 && /50035/.test(JSON.stringify(c.body)) === false && c.path !== '').filter((c) => c.status === 400);
const errorCount = async (code: string) => ((await registry.getSingleMetric('council_discord_errors_total')?.get())?.values ?? []).filter((v) => v.labels.code === code).reduce((n, v) => n + v.value, 0);
const meetingStart = (title: string, extra: { user?: ReturnType<FakeDiscord['user']> } = {}) =>
  discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'daily_standup' }, { name: 'title', type: 3, value: title }, { name: 'topics', type: 3, value: 'Yesterday' }] }], ...extra });
const threadNamed = (name: string) => [...discord.state.channels.values()].find((c) => c.name === name)?.id;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  harness = await startBotHarness({ ollama: { parallel: 4 }, env: { DISCORD_MAX_PER_USER: '4', DISCORD_MAX_PER_CHANNEL: '4' } });
  ({ ollama, discord, tc, bot } = harness);
});
afterAll(async () => {
  await harness?.stop();
  process.off('unhandledRejection', onUnhandled);
});
beforeEach(() => {
  ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
  ollama.setResponder(null);
  expect(unhandled).toEqual([]);
});

describe('Discord errors while a reply streams', () => {
  it('a moderator deleting the message mid-stream (10008): the answer ends there and is not posted again', async () => {
    ollama.setLatency({ ttftMs: 0, tokenMs: 25 });
    ollama.setResponder(() => 'steady words '.repeat(80));
    const since = Date.now();
    const { token } = ask('cto', 'Talk for a while');
    const first = await discord.waitFor((c) => c.at >= since && c.method === 'POST' && /^\/webhooks\/\d+\/tok/.test(c.path) && c.status === 200);
    const firstId = [...discord.state.messages.values()].filter((m) => m.webhook_id && Date.parse(m.timestamp) >= since).at(0)!.id;
    discord.deleteMessage(firstId);
    const edit = await finalEdit(token);
    expect(edit.body.content).toContain('deleted by someone in the channel');
    const sends = discord.calls.filter((c) => c.at >= first.at && c.method === 'POST' && /^\/webhooks\/\d+\/tok/.test(c.path) && c.status === 200);
    expect(sends).toHaveLength(1);
  });

  it('a thread locked mid-turn (160005): the person is told, the process keeps serving', async () => {
    const thread = discord.state.addChannel('locked later', 11);
    Object.assign(thread, { parent_id: discord.channelId, owner_id: discord.botUserId, thread_metadata: { archived: false, locked: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString() } });
    ollama.setLatency({ ttftMs: 300, tokenMs: 20 });
    discord.setThreadState(thread.id, { locked: true });
    discord.setPermission(discord.channelId, 'ManageThreads', false);
    const { token } = ask('cto', 'Anything', { channelId: thread.id });
    const edit = await finalEdit(token);
    discord.setPermission(discord.channelId, 'ManageThreads', true);
    expect(String(edit.body.content)).toMatch(/locked/);
    expect(await errorCount('160005')).toBeGreaterThan(0);
    const again = ask('cto', 'Still alive?');
    expect((await finalEdit(again.token)).body.content).toContain('answered');
  });

  it('a channel holding 15 webhooks (30007) is explained, and colleagues still answer', async () => {
    const full = discord.addTextChannel('full-of-hooks');
    discord.addForeignWebhooks(full.id, 15);
    const { token } = ask('cto', 'Hello there', { channelId: full.id });
    await finalEdit(token);
    const posts = discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${full.id}/messages`);
    expect(posts.some((p) => String(p.body.content).includes('15 webhooks'))).toBe(true);
    expect(posts.some((p) => String(p.body.content).startsWith('**Marcus Whitfield**'))).toBe(true);
  });

  it('without Manage Webhooks, long answers with the name prefix stay within 2000 characters, and a granted permission is used at once', async () => {
    const plain = discord.addTextChannel('no-hooks');
    discord.setPermission(plain.id, 'ManageWebhooks', false);
    ollama.setResponder(() => `${'para '.repeat(390)}\n\n- ${'item '.repeat(390)}`);
    const { token } = ask('cto', 'Long one', { channelId: plain.id });
    await finalEdit(token);
    const posts = discord.calls.filter((c) => c.path.startsWith(`/channels/${plain.id}/messages`) && c.method !== 'GET');
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.every((p) => p.status < 300)).toBe(true);
    expect(posts.every((p) => String(p.body.content ?? '').length <= 2000)).toBe(true);
    discord.setPermission(plain.id, 'ManageWebhooks', true);
    ollama.setResponder(null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const since = Date.now();
    const next = ask('cto', 'Now with a webhook?', { channelId: plain.id });
    await finalEdit(next.token);
    expect(discord.calls.some((c) => c.at >= since && c.method === 'POST' && /^\/webhooks\/\d+\/tok/.test(c.path) && c.status === 200)).toBe(true);
  });

  it('past 15 minutes /ask stops editing the interaction (one 50027) and says it in the channel', async () => {
    ollama.setLatency({ ttftMs: 400, tokenMs: 10 });
    const since = Date.now();
    const { token } = ask('cto', 'Slow question');
    await discord.waitFor((c) => c.path.includes(`${token}/callback`));
    discord.advanceClock(16 * 60_000);
    await discord.waitFor((c) => c.at >= since && c.method === 'POST' && c.path === `/channels/${discord.channelId}/messages` && String(c.body.content).includes('answered'), 30_000);
    const expired = discord.calls.filter((c) => c.path.includes(token) && c.status === 401);
    expect(expired).toHaveLength(1);
  });
});

describe('messages that are not questions', () => {
  it('never answers a forwarded persona message or a pin notice', async () => {
    const { token } = ask('database_administrator', 'Index?');
    await finalEdit(token);
    const persona = [...discord.state.messages.values()].filter((m) => m.webhook_id && m.author.username === 'Viktor Novak').at(-1)!;
    const before = ollama.requests.length;
    discord.forwardMessage({ messageId: persona.id });
    discord.pinNotice({ messageId: persona.id });
    const control = discord.sendMessage({ content: 'and which columns?', referenceMessageId: persona.id });
    // Answers only: memory extraction after an answer also calls /api/chat, with structured output (`format`).
    const answers = () => ollama.requests.slice(before).filter((r) => r.path === '/api/chat' && !(r.body as { format?: unknown }).format);
    await waitFor('the real reply to be answered', () => answers().some((r) => JSON.stringify(r.body).includes('which columns')));
    expect(answers()).toHaveLength(1);
    expect(control.id).toBeTruthy();
  });
});

describe('meetings in threads', () => {
  it('a thread the bot may create but not post in (50001/50013): the meeting ends resumable, not running', async () => {
    discord.setPermission(discord.channelId, 'SendMessagesInThreads', false);
    const { token } = meetingStart('Muted meeting');
    await finalEdit(token);
    const threadId = threadNamed('Muted meeting')!;
    const meeting = (await tc.council.meetings.inThread(threadId))!;
    await waitFor('the meeting to stop', async () => (await tc.council.getMeeting(meeting.id)).status !== 'running' && (await tc.council.getMeeting(meeting.id)).status !== 'pending');
    discord.setPermission(discord.channelId, 'SendMessagesInThreads', true);
    expect((await tc.council.getMeeting(meeting.id)).status).toBe('interrupted');
    await waitFor('the bot to let go of it', () => true);
    expect(await errorCount('50013')).toBeGreaterThan(0);
  });

  it('an interrupted meeting can be cancelled from Discord, only by its requester or Manage Threads', async () => {
    const threadId = threadNamed('Muted meeting')!;
    const meeting = (await tc.council.meetings.inThread(threadId))!;
    const stranger = discord.user('Mallory');
    const refused = discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'stop', type: 1 }], channelId: threadId, user: stranger, memberPermissions: '0' });
    const no = await discord.waitFor((c) => c.path.includes(`${refused.token}/callback`));
    expect(String((no.body.data as { content: string }).content)).toContain('Manage Threads');
    const allowed = discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'stop', type: 1 }], channelId: threadId });
    const yes = await discord.waitFor((c) => c.path.includes(`${allowed.token}/callback`));
    expect(String((yes.body.data as { content: string }).content)).toContain('cancelled');
    expect((await tc.council.getMeeting(meeting.id)).status).toBe('cancelled');
  });

  it('posts long minutes within the embed limits, with minutes.md attached', async () => {
    const since = Date.now();
    const { token } = meetingStart('Minutes check');
    await finalEdit(token);
    const threadId = threadNamed('Minutes check')!;
    const post = await discord.waitFor((c) => c.path === `/channels/${threadId}/messages` && c.files.length > 0, 60_000);
    expect(post.status).toBe(200);
    expect(post.files[0]!.name).toBe('minutes.md');
    expect(discord.calls.filter((c: RecordedCall) => c.at >= since && c.status === 400)).toEqual([]);
    expect(refusedPayloads().filter((c) => c.at >= since)).toEqual([]);
  });
});

describe('gateway', () => {
  it('reports disconnected while the gateway reconnects, connected once resumed', async () => {
    const gauge = async () => (await registry.getSingleMetric('council_discord_connected')!.get()).values[0]!.value;
    expect(await gauge()).toBe(1);
    discord.dropConnections();
    await waitFor('the gauge to drop', async () => (await gauge()) === 0, 10_000);
    expect(bot.status().connected).toBe(false);
    await waitFor('the gauge to come back', async () => (await gauge()) === 1, 30_000);
    expect(bot.status().connected).toBe(true);
  });
});
