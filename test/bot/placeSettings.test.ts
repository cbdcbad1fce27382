import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../core/metrics.js';
import type { FakeChannel, FakeDiscord, FakeUser } from '../fakes/discord/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import type { TestCouncil } from '../support/openTestCouncil.js';
import { waitFor } from '../support/waitFor.js';

// Settings per place on the strict stand-in: set in Discord, inherited guild -> channel -> thread, and obeyed.
let harness: BotHarness;
let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let manager: FakeUser;
let bob: FakeUser;

const managePermissions = String((1n << 4n) | (1n << 5n)); // Manage Channels, Manage Server
const settingsCommand = (action: 'show' | 'set' | 'reset', options: Record<string, string>, extra: { channelId?: string; user?: FakeUser; memberPermissions?: string } = {}) =>
  discord.sendSlashCommand({
    name: 'council',
    user: extra.user ?? manager,
    memberPermissions: extra.memberPermissions ?? managePermissions,
    ...(extra.channelId ? { channelId: extra.channelId } : {}),
    options: [{ name: 'settings', type: 2, options: [{ name: action, type: 1, options: Object.entries(options).map(([name, value]) => ({ name, type: 3, value })) }] }],
  });
const answerOf = async (token: string) => String(((await discord.waitFor((c) => c.path.includes(`${token}/callback`))).body.data as { content: string }).content);
const set = async (key: string, value: string, scope: string, channelId?: string) => {
  const text = await answerOf(settingsCommand('set', { key, value, scope }, channelId ? { channelId } : {}).token);
  expect(text).toMatch(new RegExp(`^Set \\*\\*${key}\\*\\*`));
};
const ask = (agent: string, message: string, extra: { channelId?: string; user?: FakeUser } = {}) =>
  discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: agent }, { name: 'message', type: 3, value: message }], ...extra });
const finalEdit = (token: string) => discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`) && /answered|⚠️/.test(String(c.body.content)), 30_000);
const personaPosts = (channelId: string, since: number) => [...discord.state.messages.values()].filter((m) => m.channel_id === channelId && m.webhook_id && Date.parse(m.timestamp) >= since);
const botPosts = (channelId: string, since: number) => discord.calls.filter((c) => c.at >= since && c.method === 'POST' && (c.path === `/channels/${channelId}/messages` || /^\/webhooks\/\d+\/tok/.test(c.path)));
const refused = async (reason: string) => ((await registry.getSingleMetric('council_discord_refused_total')?.get())?.values ?? []).filter((v) => v.labels.reason === reason).reduce((n, v) => n + v.value, 0);
const chatRequests = (since: number) => ollama.requests.filter((r) => r.at >= since && r.path === '/api/chat' && !(r.body as { format?: unknown }).format);

beforeAll(async () => {
  harness = await startBotHarness({ ollama: { parallel: 4, models: ['llama3.2', 'qwen3:14b', { name: 'nomic-embed-text', kind: 'embedding' }] }, env: { DISCORD_MAX_PER_USER: '4', DISCORD_MAX_PER_CHANNEL: '4' } });
  ({ ollama, discord, tc } = harness);
  manager = discord.user('Mina');
  bob = discord.user('Bob');
});
afterAll(() => harness?.stop());
beforeEach(() => {
  ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
  ollama.setResponder(null);
});

describe('settings per place in Discord', () => {
  let category: FakeChannel;
  let channel: FakeChannel;
  let thread: FakeChannel;

  beforeAll(() => {
    category = discord.addCategory('Engineering');
    channel = discord.addTextChannel('backend', { parentId: category.id });
    thread = discord.addThread('release planning', channel.id);
  });

  it('exports its refusals at 0 for every reason from start', async () => {
    for (const reason of ['guild_not_allowed', 'blocked', 'not_allowed', 'colleague_disabled', 'reply_off']) expect(await refused(reason)).toBe(0);
  });

  it('a thread inherits from its channel, the channel from the server; /council settings show names where each value comes from', async () => {
    await set('replyMode', 'ambient', 'guild', channel.id);
    await set('defaultColleague', 'cto', 'guild', channel.id);
    await set('replyMode', 'mentions', 'channel', channel.id);
    await set('listening', 'off', 'category', channel.id);
    const shown = await answerOf(settingsCommand('show', {}, { channelId: thread.id }).token);
    expect(shown).toContain('Settings in force in this thread');
    expect(shown).toContain('• **replyMode**: mentions · channel');
    expect(shown).toContain('• **defaultColleague**: cto · guild');
    expect(shown).toContain('• **listening**: off · category');
    expect(shown).toContain('• **colleagues**: all · default');
    await set('replyMode', 'ambient', 'thread', thread.id);
    expect(await answerOf(settingsCommand('show', {}, { channelId: thread.id }).token)).toContain('• **replyMode**: ambient · thread');
    // The server's level as a whole, asked for by scope.
    const server = await answerOf(settingsCommand('show', { scope: 'guild' }, { channelId: thread.id }).token);
    expect(server).toContain('• **replyMode**: ambient · guild');
    expect(server).toContain('Set on this guild: replyMode, defaultColleague');
  });

  it('mentions mode ignores a message addressed to nobody and answers one addressed to a colleague; ambient answers any message with the default colleague', async () => {
    const since = Date.now();
    discord.sendMessage({ channelId: channel.id, content: 'Anyone around? The build is red again.' });
    discord.sendMessage({ channelId: channel.id, content: 'Priya: why would the build be red?' });
    await waitFor('Priya to answer the addressed message', () => personaPosts(channel.id, since).some((m) => m.author.username === 'Priya Raman'));
    discord.sendMessage({ channelId: thread.id, content: 'What should go into this release?' });
    await waitFor('the default colleague to answer in the ambient thread', () => personaPosts(thread.id, since).some((m) => m.author.username === 'Marcus Whitfield'));
    const questions = chatRequests(since).map((r) => JSON.stringify(r.body));
    expect(questions.some((q) => q.includes('The build is red again'))).toBe(false);
    expect(personaPosts(channel.id, since).every((m) => m.author.username === 'Priya Raman')).toBe(true);
  });

  it('a blocked person or role gets one ephemeral line for a command and nothing in the channel for a message', async () => {
    const carol = discord.user('Carol');
    const muted = discord.addRole('muted');
    discord.setRoles(carol, [muted]);
    await set('blockUsers', `<@${bob.id}>`, 'channel', channel.id);
    await set('blockRoles', `<@&${muted}>`, 'guild', channel.id);
    const before = await refused('blocked');
    const since = Date.now();
    for (const user of [bob, carol]) {
      const { token } = ask('cto', 'Can I ask something?', { channelId: channel.id, user });
      const reply = (await discord.waitFor((c) => c.path.includes(`${token}/callback`))).body as { type: number; data: { content: string; flags: number } };
      expect(reply).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(reply.data.content).toBe("⚠️ Council does not answer you here: this server's settings block you");
      expect(discord.calls.filter((c) => c.path.includes(token))).toHaveLength(1);
    }
    discord.sendMessage({ channelId: channel.id, content: 'Priya: are you there?', author: bob });
    await waitFor('the three refusals to be counted', async () => (await refused('blocked')) - before === 3);
    expect(botPosts(channel.id, since)).toEqual([]);
    // Elsewhere Bob is not blocked by the channel's list, but Carol's role is blocked server-wide.
    const elsewhere = ask('cto', 'And here?', { user: bob });
    expect(String((await finalEdit(elsewhere.token)).body.content)).toContain('answered');
  });

  it('a colleague not allowed in a place is refused in one line for a command and silently for a message', async () => {
    const quiet = discord.addTextChannel('leadership', { parentId: category.id });
    await set('colleagues', 'cto, qa_engineer', 'channel', quiet.id);
    const before = await refused('colleague_disabled');
    const since = Date.now();
    const { token } = ask('backend_developer', 'Can you review this?', { channelId: quiet.id });
    const reply = (await discord.waitFor((c) => c.path.includes(`${token}/callback`))).body as { data?: { content?: string } };
    const text = reply.data?.content ?? String((await finalEdit(token)).body.content);
    expect(text).toMatch(/Priya Raman is not available here; colleagues here: Marcus Whitfield, Sofia Rossi/);
    discord.sendMessage({ channelId: quiet.id, content: 'Priya: can you review this?' });
    await waitFor('both refusals to be counted', async () => (await refused('colleague_disabled')) - before === 2);
    expect(botPosts(quiet.id, since)).toEqual([]);
    const allowed = ask('qa_engineer', 'How do we test it?', { channelId: quiet.id });
    expect(String((await finalEdit(allowed.token)).body.content)).toContain('answered');
  });

  it('in a channel where replies are off, a message addressed to a colleague gets nothing; slash commands still answer', async () => {
    const off = discord.addTextChannel('announcements');
    await set('replyMode', 'off', 'channel', off.id);
    const before = await refused('reply_off');
    const since = Date.now();
    discord.sendMessage({ channelId: off.id, content: 'Priya: will you answer?' });
    await waitFor('the refusal to be counted', async () => (await refused('reply_off')) - before === 1);
    const { token } = ask('cto', 'Still there?', { channelId: off.id });
    expect(String((await finalEdit(token)).body.content)).toContain('answered');
    expect(botPosts(off.id, since).filter((c) => String(c.body.content).includes('will you answer'))).toEqual([]);
  });

  it('a listening channel takes in a fact from what people say and sends nothing', async () => {
    const standup = discord.addTextChannel('standup');
    // The server answers any message (ambient); here only addressed ones are, and the rest is listened to.
    await set('replyMode', 'mentions', 'channel', standup.id);
    await set('listening', 'on', 'channel', standup.id);
    await set('defaultColleague', 'qa_engineer', 'channel', standup.id);
    const since = Date.now();
    discord.sendMessage({ channelId: standup.id, content: 'For the record: we deploy to production every Thursday at 16:00.' });
    const memory = await waitFor('a memory of what was said', async () => (await tc.council.memory.list({ agentId: 'qa_engineer' })).find((m) => /Thursday/.test(m.content)));
    expect(memory).toBeTruthy();
    expect(botPosts(standup.id, since)).toEqual([]);
    expect(discord.calls.filter((c) => c.at >= since && c.path === `/channels/${standup.id}/typing`)).toEqual([]);
  });

  it('a model per colleague reaches the model call; the others keep the place\'s model', async () => {
    const models = discord.addTextChannel('models');
    await set('models', 'qa_engineer=qwen3:14b', 'channel', models.id);
    const refusedModel = await answerOf(settingsCommand('set', { key: 'model', value: 'mixtral:8x22b', scope: 'channel' }, { channelId: models.id }).token);
    expect(refusedModel).toContain('does not have mixtral:8x22b; run: ollama pull mixtral:8x22b');
    const since = Date.now();
    await finalEdit(ask('qa_engineer', 'Which tests first?', { channelId: models.id }).token);
    await finalEdit(ask('cto', 'Which priorities first?', { channelId: models.id }).token);
    const used = chatRequests(since).map((r) => ({ model: (r.body as { model: string }).model, text: JSON.stringify(r.body) }));
    expect(used.find((u) => u.text.includes('Which tests first?'))?.model).toBe('qwen3:14b');
    expect(used.find((u) => u.text.includes('Which priorities first?'))?.model).toBe('llama3.2');
  });

  it('changing a channel needs Manage Channels, the server Manage Server; reset makes a value come from above again; every change is audited', async () => {
    const noRights = await answerOf(settingsCommand('set', { key: 'replyMode', value: 'off', scope: 'channel' }, { channelId: channel.id, user: bob, memberPermissions: '0' }).token);
    expect(noRights).toBe('⚠️ changing the settings of a channel needs Manage Channels');
    const channelOnly = String(1n << 4n);
    const server = await answerOf(settingsCommand('set', { key: 'replyMode', value: 'off', scope: 'guild' }, { channelId: channel.id, memberPermissions: channelOnly }).token);
    expect(server).toBe('⚠️ changing the settings of the server needs Manage Server');
    expect(await answerOf(settingsCommand('reset', { key: 'replyMode', scope: 'channel' }, { channelId: channel.id }).token)).toContain('Reset **replyMode** of this channel');
    expect(await answerOf(settingsCommand('show', {}, { channelId: channel.id }).token)).toContain('• **replyMode**: ambient · guild');
    const audit = await tc.council.audit.list();
    expect(audit.filter((a) => a.action === 'settings.set' && a.actor === `discord:${manager.id}`).length).toBeGreaterThanOrEqual(10);
    expect(audit.find((a) => a.action === 'settings.reset' && a.target === `channel:${channel.id}`)).toBeTruthy();
  });

  it('suggests keys and values as you type', async () => {
    const keys = discord.sendAutocomplete({ name: 'council', options: [{ name: 'settings', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'key', type: 3, value: 'rep', focused: true }] }] }] });
    const keyChoices = (await discord.waitFor((c) => c.path.includes(`${keys.token}/callback`))).body.data as { choices: Array<{ value: string }> };
    expect(keyChoices.choices.map((c) => c.value)).toEqual(['replyMode']);
    const values = discord.sendAutocomplete({ name: 'council', options: [{ name: 'settings', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'key', type: 3, value: 'model' }, { name: 'value', type: 3, value: 'qw', focused: true }] }] }] });
    const valueChoices = (await discord.waitFor((c) => c.path.includes(`${values.token}/callback`))).body.data as { choices: Array<{ value: string }> };
    expect(valueChoices.choices.map((c) => c.value)).toEqual(['qwen3:14b']);
  });
});
