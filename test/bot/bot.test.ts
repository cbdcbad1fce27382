import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/startBot.js';
import { createLogger } from '../../core/log.js';
import { startFakeDiscord, type FakeDiscord, type RecordedCall } from '../fakes/discord/index.js';
import { startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { waitFor } from '../support/waitFor.js';

let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let bot: RunningBot;
const log = createLogger('silent');

async function openCouncil(dataDir?: string) {
  return openTestCouncil({
    ollamaUrl: ollama.url,
    ...(dataDir ? { dataDir } : {}),
    env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId, DISCORD_MAX_PER_USER: '2' },
  });
}

const webhookExecutes = (since = 0) => discord.calls.filter((c) => c.method === 'POST' && /^\/webhooks\/\d+\/tok/.test(c.path) && c.at >= since);
const originalEdits = (token: string) => discord.calls.filter((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  ollama = await startFakeOllama();
  discord = await startFakeDiscord();
  tc = await openCouncil();
  bot = await startBot({ council: tc.council, log });
});
afterAll(async () => {
  await bot.stop();
  await tc.dispose();
  await discord.stop();
  await ollama.stop();
});
beforeEach(() => {
  ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
  ollama.setResponder(null);
  ollama.failNext({ count: 0 });
});

describe('Discord bot', () => {
  it('registers its slash commands on the guild and reports connected', async () => {
    const put = discord.calls.find((c) => c.method === 'PUT' && c.path === `/applications/${discord.appId}/guilds/${discord.guildId}/commands`)!;
    expect((put.body as unknown as Array<{ name: string }>).map((c) => c.name).sort()).toEqual(['Why did you say this?', 'actions', 'admin', 'agents', 'ask', 'consult', 'council', 'meeting', 'memory']);
    expect(bot.status()).toMatchObject({ configured: true, connected: true });
  });

  it('answers /ask as the persona through a webhook, deferring at once', async () => {
    const since = Date.now();
    const { token } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'backend_developer' }, { name: 'message', type: 3, value: 'What are REST API best practices?' }] });
    const deferral = await discord.waitFor((c) => c.path.includes(`${token}/callback`));
    expect(deferral.body).toMatchObject({ type: 5, data: { flags: 64 } });
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`));
    const sent = webhookExecutes(since)[0]!;
    expect(sent.body).toMatchObject({ username: 'Priya Raman', allowed_mentions: { parse: [] } });
    expect(String(sent.body.avatar_url)).toContain('backend_developer');
    expect(String(sent.body.content)).toContain('REST API best practices');
    expect(originalEdits(token).at(-1)!.body.content).toContain('Priya Raman answered');
  });

  it('streams a long answer into one message by paced edits, not one edit per token', async () => {
    ollama.setLatency({ ttftMs: 0, tokenMs: 40 });
    ollama.setResponder(() => 'word '.repeat(90));
    const since = Date.now();
    const { token } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'qa_engineer' }, { name: 'message', type: 3, value: 'Long answer please' }] });
    await discord.waitFor((c) => originalEdits(token).length > 0 && c === originalEdits(token)[0], 20_000);
    const edits = discord.calls.filter((c) => c.method === 'PATCH' && /^\/webhooks\/\d+\/tok[^/]+\/messages\/\d+$/.test(c.path) && c.at >= since);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    // 90 tokens arrive 40 ms apart: edits gather many of them each. The one-per-interval pacing itself is checked on fake timers in discordStream.test.ts.
    expect(edits.length).toBeLessThan(90 / 4);
    expect(String(edits.at(-1)!.body.content).trim().endsWith('word')).toBe(true);
  });

  it('continues with the same persona when someone replies to its message', async () => {
    const since = Date.now();
    const { token } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'database_administrator' }, { name: 'message', type: 3, value: 'Should we add an index?' }] });
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`));
    const personaMessage = [...discord.state.messages.values()].find((m) => m.webhook_id && m.author.username === 'Viktor Novak' && Date.parse(m.timestamp) >= since)!;
    const before = ollama.requests.length;
    discord.sendMessage({ content: 'Which columns exactly?', referenceMessageId: personaMessage.id });
    await discord.waitFor((c) => c.at > since && webhookExecutes(since).length >= 2 && c === webhookExecutes(since)[1]);
    const chat = ollama.requests.slice(before).find((r) => r.path === '/api/chat')!.body as FakeChatRequest;
    expect(chat.messages[0]!.content).toContain('You are Viktor Novak');
    expect(chat.messages.some((m) => m.content.includes('Should we add an index?'))).toBe(true);
    expect(webhookExecutes(since)[1]!.body.username).toBe('Viktor Novak');
  });

  it('ignores bots and webhooks', async () => {
    const personaMessage = [...discord.state.messages.values()].find((m) => m.webhook_id)!;
    const before = ollama.requests.length;
    discord.sendMessage({ content: 'beep', referenceMessageId: personaMessage.id, author: { ...discord.user('Robot'), bot: true } });
    discord.sendMessage({ content: 'hook', referenceMessageId: personaMessage.id, webhookId: '123' });
    await sleep(300);
    expect(ollama.requests.length).toBe(before);
  });

  it('re-creates its webhook when Discord says it is gone', async () => {
    const hook = [...discord.state.webhooks.values()][0]!;
    discord.deleteWebhook(hook.id);
    const { token } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'cto' }, { name: 'message', type: 3, value: 'Still there?' }] });
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`));
    expect(discord.calls.some((c) => c.path.startsWith(`/webhooks/${hook.id}/`) && c.status === 404)).toBe(true);
    expect(discord.state.webhooks.size).toBe(1);
    expect(originalEdits(token).at(-1)!.body.content).toContain('answered');
  });

  it('answers an unknown agent with an ephemeral error listing choices', async () => {
    const { token } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'backend_dev' }, { name: 'message', type: 3, value: 'hi' }] });
    const edit = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`));
    expect(edit.body.content).toContain('unknown agent "backend_dev"');
    expect(edit.body.content).toContain('backend_developer');
  });

  it('says what is wrong, ephemerally, when Ollama is down', async () => {
    ollama.failNext({ count: 10, status: 404, error: 'model "llama3.2" not found, try pulling it first' });
    const { token } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'cto' }, { name: 'message', type: 3, value: 'hi' }] });
    const edit = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`));
    expect(edit.body.content).toContain('ollama pull llama3.2');
  });

  it('autocompletes agents and meeting types', async () => {
    const { token } = discord.sendAutocomplete({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'archi', focused: true }] });
    const answer = await discord.waitFor((c) => c.path.includes(`${token}/callback`));
    expect(answer.body.type).toBe(8);
    expect((answer.body.data as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toContain('solutions_architect');
  });

  it('refuses /admin clear-memories to non-administrators', async () => {
    const { token } = discord.sendSlashCommand({ name: 'admin', options: [{ name: 'clear-memories', type: 1 }], memberPermissions: '0' });
    const reply = await discord.waitFor((c) => c.path.includes(`${token}/callback`));
    expect(String((reply.body.data as { content: string }).content)).toContain('only server administrators');
  });

  it('never lets model output ping anyone', () => {
    const sends = discord.calls.filter((c) => c.method === 'POST' && (/^\/webhooks\/\d+\/tok/.test(c.path) || /^\/channels\/\d+\/messages$/.test(c.path)));
    expect(sends.length).toBeGreaterThan(3);
    for (const call of sends) expect(call.body.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('meetings in threads', () => {
  const threadOf = (call: RecordedCall) => call.query.thread_id;

  it('opens a thread, posts every turn and the minutes, and stops on the button', async () => {
    const since = Date.now();
    const { token } = discord.sendSlashCommand({
      name: 'meeting',
      options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'daily_standup' }, { name: 'title', type: 3, value: 'Standup Monday' }, { name: 'topics', type: 3, value: 'Yesterday; Blockers' }] }],
    });
    const created = await discord.waitFor((c) => c.method === 'POST' && c.path === `/channels/${discord.channelId}/threads` && c.at >= since);
    expect(created.body.name).toBe('Standup Monday');
    const threadId = [...discord.state.channels.values()].find((c) => c.name === 'Standup Monday')!.id;
    await discord.waitFor((c) => c.path === `/channels/${threadId}/messages` && (c.files.length > 0), 20_000);
    const turns = webhookExecutes(since).filter((c) => threadOf(c) === threadId);
    const meeting = await tc.council.meetings.inThread(threadId);
    const view = await tc.council.getMeeting(meeting!.id);
    expect(view.status).toBe('completed');
    expect(turns).toHaveLength(view.turns.length);
    expect(view.turns.every((t) => t.externalId)).toBe(true);
    const minutesPost = discord.calls.find((c) => c.path === `/channels/${threadId}/messages` && c.files.length > 0)!;
    expect(minutesPost.files[0]!.name).toBe('minutes.md');
    expect((minutesPost.body.embeds as Array<{ title: string }>)[0]!.title).toContain('Standup Monday');
    expect(originalEdits(token).at(-1)!.body.content).toContain(threadId);
  });

  it('cancels a running meeting with the Stop button', async () => {
    ollama.setLatency({ ttftMs: 0, tokenMs: 30 });
    const since = Date.now();
    discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'brainstorming' }, { name: 'title', type: 3, value: 'Names' }, { name: 'topics', type: 3, value: 'Product name' }] }] });
    await discord.waitFor((c) => webhookExecutes(since).length >= 2 && c.at >= since, 20_000);
    const threadId = [...discord.state.channels.values()].find((c) => c.name === 'Names')!.id;
    const meeting = await tc.council.meetings.inThread(threadId);
    const agenda = [...discord.state.messages.values()].find((m) => m.channel_id === threadId && (m.components as unknown[]).length > 0)!;
    discord.clickButton({ customId: `meeting:stop:${meeting!.id}`, messageId: agenda.id, channelId: threadId });
    await waitFor('the meeting to stop running', async () => (await tc.council.getMeeting(meeting!.id)).status !== 'running', 60_000, 50);
    const view = await tc.council.getMeeting(meeting!.id);
    expect(view.status).toBe('cancelled');
    expect(view.turns.length).toBeGreaterThanOrEqual(1);
  });

  it('resumes a meeting in its thread after a restart', async () => {
    ollama.setLatency({ ttftMs: 0, tokenMs: 20 });
    const since = Date.now();
    discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'code_review' }, { name: 'title', type: 3, value: 'PR 99' }, { name: 'topics', type: 3, value: 'The diff' }] }] });
    await discord.waitFor((c) => webhookExecutes(since).length >= 2 && c.at >= since, 20_000);
    const threadId = [...discord.state.channels.values()].find((c) => c.name === 'PR 99')!.id;
    const meeting = (await tc.council.meetings.inThread(threadId))!;
    await bot.stop();
    await tc.close();
    const interrupted = await openCouncil(tc.dataDir);
    tc = interrupted;
    const kept = await tc.council.getMeeting(meeting.id);
    expect(kept.status).toBe('interrupted');
    ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
    bot = await startBot({ council: tc.council, log });
    await waitFor('the resumed meeting to complete', async () => (await tc.council.getMeeting(meeting.id)).status === 'completed', 60_000, 100);
    const done = await tc.council.getMeeting(meeting.id);
    expect(done.status).toBe('completed');
    expect(done.turns.slice(0, kept.turns.length)).toEqual(kept.turns.map((t, i) => ({ ...t, externalId: done.turns[i]!.externalId })));
    expect(discord.state.messages.size).toBeGreaterThan(0);
    expect([...discord.state.messages.values()].some((m) => m.channel_id === threadId && String(m.content).startsWith('Resuming **PR 99**'))).toBe(true);
  });
});

describe('startBot', () => {
  it('rejects a bad token with one clear line', async () => {
    const other = await openTestCouncil({ ollamaUrl: ollama.url, env: { DISCORD_TOKEN: 'not-the-token', DISCORD_API_URL: discord.apiUrl } });
    try {
      const error = await startBot({ council: other.council, log }).catch((e) => e);
      expect(error.code).toBe('unauthorized');
      expect(error.message).toBe('Discord rejected DISCORD_TOKEN (401); reset the bot token in the Developer Portal and update the secret');
    } finally {
      await other.dispose();
    }
  });

  it('falls back to plain messages without Manage Webhooks and says so once', async () => {
    const locked = await startFakeDiscord({ botHasManageWebhooks: false });
    const other = await openTestCouncil({ ollamaUrl: ollama.url, env: { DISCORD_TOKEN: locked.token, DISCORD_API_URL: locked.apiUrl, DISCORD_GUILD_ID: locked.guildId } });
    const lockedBot = await startBot({ council: other.council, log });
    try {
      for (const question of ['first', 'second']) {
        const { token } = locked.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'cto' }, { name: 'message', type: 3, value: question }] });
        await locked.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`));
      }
      const posts = locked.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${locked.channelId}/messages`);
      expect(posts.filter((p) => String(p.body.content).includes('Manage Webhooks'))).toHaveLength(1);
      expect(posts.filter((p) => String(p.body.content).startsWith('**Marcus Whitfield**'))).toHaveLength(2);
    } finally {
      await lockedBot.stop();
      await other.dispose();
      await locked.stop();
    }
  });
});
