import { contextOf } from '../../core/contextOf.js';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/waitFor.js';
import { startBot, type RunningBot } from '../../bot/startBot.js';
import { inviteUrl, permissionsInteger, requiredPermissions } from '../../bot/util/requiredPermissions.js';
import { createLogger } from '../../core/log.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { perm } from '../fakes/discord/rules/permissions.js';
import { startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

// Conversations and setup as people meet them, on the strict stand-in.
let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let bot: RunningBot;
let hooklessChannel: string;
const logLines: Array<{ level: number; msg: string; channels?: Array<{ channel: string; missing: string[] }> }> = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

const webhookSends = (since: number) => discord.calls.filter((c) => c.at >= since && c.method === 'POST' && /^\/webhooks\/\d+\/tok/.test(c.path) && c.status === 200);
const chatsSince = (before: number) => ollama.requests.slice(before).filter((r) => r.path === '/api/chat').map((r) => r.body as FakeChatRequest);
const channelPosts = (since: number, channelId = discord.channelId) => discord.calls.filter((c) => c.at >= since && c.method === 'POST' && c.path === `/channels/${channelId}/messages`);
const finalEdit = (token: string) => discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`) && !String(c.body.content).startsWith('⏳') && c.status === 200, 30_000);
const personaMessages = (name: string, since: number) => [...discord.state.messages.values()].filter((m) => m.webhook_id && m.author.username === name && Date.parse(m.timestamp) >= since);

beforeAll(async () => {
  ollama = await startFakeOllama({ parallel: 4 });
  discord = await startFakeDiscord();
  // A channel the bot may not manage webhooks in, before it starts: the ready log must name it.
  hooklessChannel = discord.addTextChannel('no-webhooks-here').id;
  discord.setPermission(hooklessChannel, 'ManageWebhooks', false);
  tc = await openTestCouncil({
    ollamaUrl: ollama.url,
    env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId, DISCORD_MAX_PER_USER: '1', DISCORD_QUEUE_PER_USER: '1', OLLAMA_NUM_PARALLEL: '1' },
  });
  bot = await startBot({ council: tc.council, log: createLogger('info', logSink) });
});
afterAll(async () => {
  await bot?.stop({ graceMs: 2_000 });
  await tc?.dispose();
  await discord?.stop();
  await ollama?.stop();
});
beforeEach(() => {
  ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
  ollama.setResponder(null);
});

describe('setup that tells the admin what is wrong', () => {
  it('registers every command for servers only (contexts [0], guild install)', () => {
    const put = discord.calls.find((c) => c.method === 'PUT' && c.path === `/applications/${discord.appId}/guilds/${discord.guildId}/commands`)!;
    const body = put.body as unknown as Array<{ name: string; contexts: number[]; integration_types: number[] }>;
    expect(body.map((c) => c.name)).toContain('council');
    for (const command of body) expect(command).toMatchObject({ contexts: [0], integration_types: [0] });
  });

  it('asks in the invite for exactly the permissions it uses, with the bot and applications.commands scopes', () => {
    const bits = Object.keys(requiredPermissions).reduce((all, name) => all | perm[name as keyof typeof perm], 0n);
    expect(permissionsInteger).toBe(bits);
    expect(permissionsInteger).toBe(309774633984n);
    const url = new URL(inviteUrl(discord.appId));
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe('309774633984');
  });

  it('logs at ready, per channel it can see, the permissions it lacks', () => {
    const line = logLines.find((l) => l.msg.startsWith('discord permissions missing'))!;
    expect(line.level).toBe(40);
    expect(line.msg).toContain('#no-webhooks-here');
    expect(line.msg).toContain('Manage Webhooks');
    expect(line.channels).toEqual([expect.objectContaining({ channel: 'no-webhooks-here', missing: ['ManageWebhooks'] })]);
  });

  it('/council doctor lists missing permissions per channel as they change, for managers only', async () => {
    const doctor = async () => {
      const asked = discord.sendSlashCommand({ name: 'council', options: [{ name: 'doctor', type: 1 }] });
      return (await discord.waitFor((c) => c.path.includes(`${asked.token}/callback`))).body.data as { content: string; flags: number };
    };
    discord.setPermission(discord.channelId, 'EmbedLinks', false);
    // The overwrite reaches the bot as CHANNEL_UPDATE over the gateway: ask until it has arrived.
    let reply = await doctor();
    await waitFor('the doctor to see the change', async () => (reply = await doctor()).content.includes('Embed Links'));
    discord.setPermission(discord.channelId, 'EmbedLinks', true);
    const content = reply.content;
    expect(content).toContain(`<#${hooklessChannel}>: **Manage Webhooks**`);
    expect(content).toContain(`<#${discord.channelId}>: **Embed Links**`);
    expect(reply.flags).toBe(64);
    const refused = discord.sendSlashCommand({ name: 'council', options: [{ name: 'doctor', type: 1 }], user: discord.user('Mallory'), memberPermissions: '0' });
    const no = await discord.waitFor((c) => c.path.includes(`${refused.token}/callback`));
    expect(String((no.body.data as { content: string }).content)).toContain('Manage Server');
  });
});

describe('conversations', () => {
  it('a reply to another person\'s message, addressed "Name:", brings the reply chain; a reply to the answer continues it', async () => {
    const since = Date.now();
    const before = ollama.requests.length;
    const alice = discord.sendMessage({ content: 'We plan to shard the orders table by customer id.' });
    const bob = discord.sendMessage({ content: 'Priya: is that wise for our reporting queries?', author: discord.user('Bob'), referenceMessageId: alice.id });
    await waitFor('Priya to answer', () => personaMessages('Priya Raman', since).length > 0);
    await waitFor('the answer to be stored with its Discord id', async () => Boolean(await contextOf(tc.council).conversations.agentForExternalId(personaMessages('Priya Raman', since)[0]!.id)));
    const first = chatsSince(before)[0]!;
    const texts = first.messages.map((m) => m.content);
    expect(texts.findIndex((t) => t.includes('[Alice] We plan to shard'))).toBeGreaterThan(0);
    expect(texts.at(-1)).toBe('[Bob] is that wise for our reporting queries?');
    expect(bob.id).toBeTruthy();

    const answer = personaMessages('Priya Raman', since)[0]!;
    const carol = discord.user('Carol');
    const beforeFollowUp = ollama.requests.length;
    discord.sendMessage({ content: 'And what about backups?', author: carol, referenceMessageId: answer.id });
    await waitFor('the follow-up', () => chatsSince(beforeFollowUp).length > 0);
    const follow = chatsSince(beforeFollowUp)[0]!.messages;
    const order = ['[Alice] We plan to shard', '[Bob] is that wise', answer.content.slice(0, 40), '[Carol] And what about backups?'].map((needle) => follow.findIndex((m) => m.content.includes(needle)));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(follow[order[2]!]!.role).toBe('assistant');
    await waitFor('the follow-up answer', () => personaMessages('Priya Raman', since).length >= 2);
  });

  it('a reply chain through another colleague labels that colleague by name', async () => {
    const since = Date.now();
    const { token } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'cto' }, { name: 'message', type: 3, value: 'Monolith or services?' }] });
    await finalEdit(token);
    const marcus = personaMessages('Marcus Whitfield', since).at(-1)!;
    const before = ollama.requests.length;
    discord.sendMessage({ content: 'Viktor: do you agree with him?', author: discord.user('Dana'), referenceMessageId: marcus.id });
    await waitFor('Viktor to be asked', () => chatsSince(before).length > 0);
    const messages = chatsSince(before)[0]!.messages;
    expect(messages[0]!.content).toContain('You are Viktor Novak');
    expect(messages.some((m) => m.role === 'user' && m.content.startsWith(`[Marcus Whitfield] ${marcus.content.slice(0, 30)}`))).toBe(true);
    await waitFor('Viktor to answer', () => personaMessages('Viktor Novak', since).length > 0);
  });

  it('@mentioning the bot with a name reaches that colleague; without a name, the person gets a hint', async () => {
    const since = Date.now();
    const before = ollama.requests.length;
    discord.sendMessage({ content: `<@${discord.botUserId}> Viktor, which index would you add?`, author: discord.user('Erin') });
    // Match on the question itself: the previous test's answer can still be landing in the stand-in's call log.
    const question = '[Erin] which index would you add?';
    await waitFor('Viktor to be asked', () => chatsSince(before).some((r) => r.messages.at(-1)?.content === question));
    const asked = chatsSince(before).find((r) => r.messages.at(-1)?.content === question)!;
    expect(asked.messages[0]!.content).toContain('You are Viktor Novak');
    await waitFor('Viktor to answer', () => webhookSends(since).some((c) => c.body.username === 'Viktor Novak' && String(c.body.content).includes('which index would you add?')));
    discord.sendMessage({ content: `<@${discord.botUserId}> hello?`, author: discord.user('Erin') });
    const hint = await discord.waitFor((c) => c.at >= since && c.method === 'POST' && c.path === `/channels/${discord.channelId}/messages` && String(c.body.content).startsWith('Which colleague'));
    expect(String(hint.body.content)).toContain(': hello?');
  });

  it('a follow-up in the thread of a finished meeting sees its transcript and minutes', async () => {
    const { token } = discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'daily_standup' }, { name: 'title', type: 3, value: 'Transcript standup' }, { name: 'topics', type: 3, value: 'Yesterday' }] }] });
    await finalEdit(token);
    const threadId = [...discord.state.channels.values()].find((c) => c.name === 'Transcript standup')!.id;
    const summary = (await tc.council.meetings.inThread(threadId))!;
    await waitFor('the meeting to complete', async () => (await tc.council.getMeeting(summary.id)).status === 'completed', 60_000);
    const meeting = await tc.council.getMeeting(summary.id);
    const before = ollama.requests.length;
    const since = Date.now();
    const speaker = ctxName(meeting.participants[0]!);
    discord.sendMessage({ content: `${speaker.split(' ')[0]}: what did we agree on?`, channelId: threadId });
    await waitFor('the follow-up to be asked', () => chatsSince(before).length > 0);
    const messages = chatsSince(before)[0]!.messages.map((m) => m.content);
    expect(messages.some((m) => m.includes('Transcript of the meeting "Transcript standup"'))).toBe(true);
    expect(messages.some((m) => m.includes(meeting.turns.at(-1)!.content.slice(0, 40)))).toBe(true);
    expect(messages.some((m) => m.startsWith('[Minutes]') && m.includes(meeting.minutes!.summary.slice(0, 30)))).toBe(true);
    await waitFor('the answer in the thread', () => webhookSends(since).some((c) => c.query.thread_id === threadId && c.body.username === speaker));
  });

  it('/consult takes at most 8 colleagues', async () => {
    const agents = tc.council.listAgents().slice(0, 9).map((a) => a.id).join(',');
    const { token } = discord.sendSlashCommand({ name: 'consult', options: [{ name: 'message', type: 3, value: 'Everyone?' }, { name: 'agents', type: 3, value: agents }] });
    const edit = await finalEdit(token);
    expect(String(edit.body.content)).toContain('at most 8 colleagues');
  });
});

describe('waiting for an answer', () => {
  it('shows typing, then the place in line after 2 s (the person\'s line, then the model\'s), and refuses a person\'s line that is full', async () => {
    // The first answer holds the line well past the 2 s after which places are shown, so the second is still waiting when a third comes.
    ollama.setLatency({ ttftMs: 5_000, tokenMs: 5 });
    const since = Date.now();
    const first = discord.sendMessage({ content: 'Priya: first question' });
    // Its own request: a background extraction of an earlier answer is an /api/chat call too.
    await waitFor('the first to reach the model', () => ollama.requests.some((r) => r.at >= since && r.path === '/api/chat' && JSON.stringify(r.body).includes('first question')));
    const second = discord.sendMessage({ content: 'Priya: second question' });
    // Another person in another channel waits for the only model slot, not for the bot's line.
    const other = discord.addTextChannel('other-room');
    const third = discord.sendMessage({ content: 'Viktor: third question', channelId: other.id, author: discord.user('Frank') });
    const queued = await waitFor('the place in line of the second', () => channelPosts(since).find((c) => (c.body.message_reference as { message_id?: string } | undefined)?.message_id === second.id && String(c.body.content).startsWith('⏳')));
    expect(String(queued.body.content)).toContain('number 1');
    discord.sendMessage({ content: 'Priya: one too many' });
    const refusal = await discord.waitFor((c) => c.at >= since && c.method === 'POST' && String(c.body.content).includes('1 question waiting'));
    expect((refusal.body.message_reference as { message_id: string } | undefined)?.message_id).toBeDefined();
    const modelWait = await discord.waitFor((c) => c.at >= since && c.path === `/channels/${other.id}/messages` && String(c.body.content).startsWith('⏳'), 20_000);
    expect(String(modelWait.body.content)).toMatch(/number \d/);
    await waitFor('both notes to go once the answers start', () => discord.calls.filter((c) => c.at >= since && c.method === 'DELETE' && /^\/channels\/\d+\/messages\/\d+$/.test(c.path) && c.status === 204).length >= 2, 40_000);
    expect(discord.calls.some((c) => c.at >= since && c.path === `/channels/${discord.channelId}/typing` && c.status === 204)).toBe(true);
    expect(discord.calls.some((c) => c.at >= since && c.path === `/channels/${other.id}/typing` && c.status === 204)).toBe(true);
    expect([first.id, third.id]).toHaveLength(2);
  });
});

function ctxName(agentId: string): string {
  return tc.council.agents.get(agentId).name;
}
