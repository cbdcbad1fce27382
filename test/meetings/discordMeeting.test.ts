import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/startBot.js';
import { createLogger } from '../../core/log.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { choicesOf, emptyMinutes, isMinutes, isPick, waitFor } from './support/meetingHarness.js';

let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let bot: RunningBot;

beforeAll(async () => {
  ollama = await startFakeOllama();
  discord = await startFakeDiscord();
  tc = await openTestCouncil({ ollamaUrl: ollama.url, env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId } });
  bot = await startBot({ council: tc.council, log: createLogger('silent') });
});
afterAll(async () => {
  await bot.stop();
  await tc.dispose();
  await discord.stop();
  await ollama.stop();
});

describe('a meeting thread people take part in', () => {
  it('hears a post in the thread, pauses and resumes on the buttons, and renders cited minutes with silent mentions', async () => {
    const ana = discord.user('Ana');
    ollama.setResponder((req) => {
      if (isMinutes(req)) return emptyMinutes({ decisions: [{ decision: 'Quarantine flaky tests', rationale: '', source_turns: [3] }], action_items: [{ owner: `discord:${ana.id}`, task: 'List the flaky tests', source_turns: [3] }] });
      if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' });
      return 'A point about testing.';
    });
    ollama.setLatency({ ttftMs: 0, tokenMs: 15 });
    discord.sendSlashCommand({
      name: 'meeting',
      user: ana,
      options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'design_review' }, { name: 'independent', type: 5, value: false }, { name: 'title', type: 3, value: 'Test plan' }, { name: 'topics', type: 3, value: 'Flaky tests' }, { name: 'participants', type: 3, value: 'backend_developer,qa_engineer' }] }],
    });
    await waitFor('the thread', () => [...discord.state.channels.values()].some((c) => c.name === 'Test plan'));
    const threadId = [...discord.state.channels.values()].find((c) => c.name === 'Test plan')!.id;
    await waitFor('the meeting row', async () => Boolean(await tc.council.meetings.inThread(threadId)));
    const meeting = (await tc.council.meetings.inThread(threadId))!;
    // Posted while the facilitator's opening streams: stored once the turn in flight ends.
    // The agenda (with its buttons) goes out before the first turn; other requests (the models check) come earlier.
    const agenda = await waitFor('the agenda with its buttons', () => [...discord.state.messages.values()].find((m) => m.channel_id === threadId && ((m.components as unknown[] | undefined)?.length ?? 0) > 0));
    await waitFor('the opening to stream', () => ollama.requests.some((r) => r.path === '/api/chat'));
    const post = discord.sendMessage({ content: 'Sofia, which tests are flaky?', channelId: threadId, author: ana });
    expect(JSON.stringify(agenda.components)).toContain(`meeting:pause:${meeting.id}`);

    await waitFor('the human turn', async () => (await tc.council.getMeeting(meeting.id)).turns.some((t) => t.kind === 'human'));
    discord.clickButton({ customId: `meeting:pause:${meeting.id}`, messageId: agenda.id, channelId: threadId, user: ana });
    await waitFor('the pause', async () => (await tc.council.getMeeting(meeting.id)).status === 'paused');
    discord.clickButton({ customId: `meeting:resume:${meeting.id}`, messageId: agenda.id, channelId: threadId, user: ana });
    await waitFor('the minutes', () => discord.calls.some((c) => c.path === `/channels/${threadId}/messages` && c.files.length > 0), 30_000);
    ollama.setLatency({ tokenMs: 0 });

    const view = await tc.council.getMeeting(meeting.id);
    const human = view.turns.find((t) => t.kind === 'human')!;
    expect(human).toMatchObject({ speakerId: `discord:${ana.id}`, externalId: post.id, content: 'Sofia, which tests are flaky?' });
    expect(view.turns.find((t) => t.seq > human.seq && t.kind === 'contribution')!.agent).toBe('qa_engineer');
    expect(view.turns.map((t) => t.seq)).toEqual(view.turns.map((_, i) => i + 1));
    const minutes = discord.calls.find((c) => c.path === `/channels/${threadId}/messages` && c.files.length > 0)!;
    const embed = JSON.stringify(minutes.body.embeds);
    const turn3 = view.turns.find((t) => t.seq === 3)!;
    expect(embed).toContain(`[#3](https://discord.com/channels/${discord.guildId}/${threadId}/${turn3.externalId})`);
    expect(embed).toContain(`<@${ana.id}>`);
    expect(minutes.body.allowed_mentions).toEqual({ parse: [] });

    const { token } = discord.sendSlashCommand({ name: 'actions', user: ana, options: [{ name: 'list', type: 1, options: [{ name: 'mine', type: 5, value: true }] }] });
    const reply = await discord.waitFor((c) => c.path.includes(`${token}/callback`));
    const data = reply.body.data as { content: string; allowed_mentions: unknown };
    expect(data.content).toContain('List the flaky tests');
    expect(data.content).toContain(`<@${ana.id}>`);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('takes models: and independent: on /meeting start, shows each turn\'s model under it, and refuses a bad models part in one line', async () => {
    ollama.addModel('qwen2.5');
    ollama.setResponder((req) => (isMinutes(req) ? emptyMinutes() : isPick(req) ? JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' }) : 'My view.'));
    const start = (title: string, extra: Array<{ name: string; type: number; value: string | boolean }>) =>
      discord.sendSlashCommand({
        name: 'meeting',
        options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'code_review' }, { name: 'title', type: 3, value: title }, { name: 'topics', type: 3, value: 'The diff' }, { name: 'participants', type: 3, value: 'backend_developer,qa_engineer' }, ...extra] }],
      });
    const refused = start('Refused', [{ name: 'models', type: 3, value: 'backend=qwen2.5,sofia' }]);
    const edit = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${refused.token}/messages/@original`));
    const said = String((edit.body as { content: string }).content);
    expect(said).toContain('models: "sofia" is not agent=model');
    expect(said.split('\n')).toHaveLength(1);

    start('Two models', [{ name: 'models', type: 3, value: 'backend=qwen2.5' }, { name: 'independent', type: 5, value: true }]);
    await waitFor('the thread', () => [...discord.state.channels.values()].some((c) => c.name === 'Two models'));
    const threadId = [...discord.state.channels.values()].find((c) => c.name === 'Two models')!.id;
    await waitFor('the meeting row', async () => Boolean(await tc.council.meetings.inThread(threadId)));
    const meeting = (await tc.council.meetings.inThread(threadId))!;
    await waitFor('the minutes', () => discord.calls.some((c) => c.path === `/channels/${threadId}/messages` && c.files.length > 0), 30_000);
    const view = await tc.council.getMeeting(meeting.id);
    expect(view).toMatchObject({ independent: true, models: { backend_developer: 'qwen2.5' } });
    const positions = view.turns.filter((t) => t.kind === 'position');
    expect(positions.map((t) => t.model)).toEqual(['qwen2.5', 'llama3.2']);
    for (const turn of positions) expect(discord.state.messages.get(turn.externalId!)!.content).toBe(`${turn.content}\n-# ${turn.model}`);
    const minutes = discord.calls.find((c) => c.path === `/channels/${threadId}/messages` && c.files.length > 0)!;
    expect(JSON.stringify(minutes.body.embeds)).toContain('• qwen2.5: Priya Raman');
  });
});
