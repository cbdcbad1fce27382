import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminCaller } from '../../core/memory/scope.js';
import type { FakeChannel, FakeDiscord, FakeMessage, FakeUser } from '../fakes/discord/index.js';
import { isExtractionRequest, type FakeReply } from '../fakes/ollama/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { waitFor } from '../support/waitFor.js';

// Tool approvals on the strict stand-in: Approve/Deny buttons in the channel, only the right people, a timeout.
let harness: BotHarness;
let discord: FakeDiscord;
let alice: FakeUser;
let bob: FakeUser;
let mina: FakeUser;
let channel: FakeChannel;
let folder: string;
const noPermissions = '0';
const manageServer = String(1n << 5n);

const ask = (message: string) => discord.sendSlashCommand({ name: 'ask', channelId: channel.id, user: alice, options: [{ name: 'agent', type: 3, value: 'backend_developer' }, { name: 'message', type: 3, value: message }] });
const inChannel = (since: number) => [...discord.state.messages.values()].filter((m) => m.channel_id === channel.id && Date.parse(m.timestamp) >= since);
const buttons = (message: FakeMessage) => (message.components as Array<{ components: Array<{ custom_id: string; label: string }> }>).flatMap((row) => row.components);
const approvalMessage = (since: number) => waitFor('the approval request', async () => inChannel(since).find((m) => String(m.content).includes('wants to call') && buttons(m).length === 2), 30_000);
const press = (message: FakeMessage, label: 'Approve' | 'Deny', user: FakeUser, memberPermissions?: string) =>
  discord.clickButton({ customId: buttons(message).find((b) => b.label === label)!.custom_id, messageId: message.id, channelId: channel.id, user, ...(memberPermissions ? { memberPermissions } : {}) });
const ephemeralAnswer = async (token: string) => {
  const call = await discord.waitFor((c) => c.path.includes(`${token}/callback`));
  const body = call.body as { type: number; data: { content: string; flags?: number } };
  return { type: body.type, content: body.data.content, ephemeral: ((body.data.flags ?? 0) & 64) === 64 };
};
const toolLine = (since: number, outcome: string) => waitFor(`the tool line (${outcome})`, async () => inChannel(since).find((m) => String(m.content).startsWith('🔧') && String(m.content).includes(outcome)), 30_000);
const answered = (since: number) => waitFor('the answer', async () => inChannel(since).find((m) => m.webhook_id && /Tool said|Nothing to go on/.test(String(m.content))), 30_000);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'council-bot-tools-'));
  writeFileSync(join(folder, 'mcp.json'), JSON.stringify({ mcpServers: { down: { command: join(folder, 'no-such-server'), args: [] } } }));
  harness = await startBotHarness({ env: { MCP_CONFIG: join(folder, 'mcp.json') } });
  discord = harness.discord;
  alice = discord.user();
  bob = discord.user('Bob');
  mina = discord.user('Mina');
  channel = discord.addTextChannel('tools');
  harness.ollama.setResponder((request): string | FakeReply => {
    if (isExtractionRequest(request)) return '{"memories": []}';
    const result = request.messages.find((m) => m.role === 'tool');
    if (result) return result.content.includes('<tool_output') ? `Tool said: ${result.content.slice(0, 300)}` : `Nothing to go on: ${result.content}`;
    if ((request.tools ?? []).length > 0) return { tool_calls: [{ function: { name: 'council.search_decisions', arguments: { query: 'retries' } } }] };
    return 'No tools here.';
  });
}, 120_000);
afterAll(async () => {
  await harness?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const allow = (toolApproval: 'requester' | 'admins') =>
  harness.tc.council.settings.set('channel', channel.id, { tools: ['council.search_decisions'], toolApproval, toolApprovalSeconds: 10 }, adminCaller, { guild: discord.guildId });

describe('tool approvals in Discord', () => {
  beforeEach(() => harness.ollama.setLatency({ ttftMs: 0, tokenMs: 0 }));

  it('requester mode: someone else is refused in one ephemeral line; the person who asked approves, the call runs and shows as one line with its output attached', async () => {
    await allow('requester');
    const since = Date.now();
    ask('What did we decide about retries?');
    const request = await approvalMessage(since);
    expect(request.content).toMatch(/wants to call `council\.search_decisions` with `\{"query":"retries"\}`\. Approve\? \(Alice may answer; 10 s\)/);

    const denyId = buttons(request).find((b) => b.label === 'Deny')!.custom_id;
    const refused = await ephemeralAnswer(press(request, 'Approve', bob).token);
    expect(refused).toEqual({ type: 4, content: 'Only Alice may approve or deny this call.', ephemeral: true });

    const approved = await ephemeralAnswer(press(request, 'Approve', alice).token);
    expect(approved.type).toBe(7);
    expect(discord.state.messages.get(request.id)).toMatchObject({ content: expect.stringContaining('approved by Alice'), components: [] });
    const line = await toolLine(since, '· ok');
    expect(line.content).toMatch(/^🔧 .+ called `council\.search_decisions` · ok · \d+ ms · \d+ characters$/);
    expect((line.attachments as Array<{ filename: string }>).map((file) => file.filename)).toEqual(['council.search_decisions.txt']);
    expect((await answered(since)).content).toContain('Tool said: <tool_output tool="council.search_decisions"');
    // Answered once: a late press finds nothing waiting.
    const late = discord.clickButton({ customId: denyId, messageId: request.id, channelId: channel.id, user: alice });
    expect((await ephemeralAnswer(late.token)).content).toBe('This call is no longer waiting for an answer.');
  });

  it('admins mode: the person who asked may not answer; someone with Manage Server denies, and the call is not run', async () => {
    await allow('admins');
    const since = Date.now();
    ask('What did we decide about retries?');
    const request = await approvalMessage(since);
    expect(request.content).toContain('members who can manage this server may answer');
    expect((await ephemeralAnswer(press(request, 'Approve', alice, noPermissions).token)).content).toBe('Only members who can manage this server may approve or deny this call.');
    expect((await ephemeralAnswer(press(request, 'Deny', mina, manageServer).token)).type).toBe(7);
    expect(discord.state.messages.get(request.id)!.content).toContain('denied by Mina');
    expect((await toolLine(since, 'not run: denied')).attachments).toEqual([]);
    expect((await answered(since)).content).toContain('Nothing to go on: error: a person denied this call');
  });

  it('nobody answers: the request says so when its time is up, and the call is not run', async () => {
    await allow('requester');
    const since = Date.now();
    ask('What did we decide about retries?');
    const request = await approvalMessage(since);
    await waitFor('the request to time out', async () => String(discord.state.messages.get(request.id)?.content).includes('Nobody approved it within 10 s, so it was not run.'), 60_000);
    expect(discord.state.messages.get(request.id)!.components).toEqual([]);
    await toolLine(since, 'not run: nobody approved it in time');
    expect((await answered(since)).content).toContain('nobody approved this call of council.search_decisions in time');
    const audited = (await harness.tc.council.audit.list(50)).filter((entry) => entry.action === 'tool.call').map((entry) => (entry.detail as { outcome: string }).outcome);
    expect(audited).toEqual(expect.arrayContaining(['ok', 'denied', 'approval_timeout']));
  }, 90_000);

  it('a channel that refuses the question (Council may not post there): the call is not run, said as nobody could be asked, never as a timeout', async () => {
    await allow('requester');
    discord.setPermission(channel.id, 'SendMessages', false);
    try {
      const since = Date.now();
      ask('What did we decide about retries?');
      await waitFor('the answer saying nobody could be asked', async () => inChannel(since).find((m) => m.webhook_id && String(m.content).includes("needs a person's approval, and nobody could be asked here")), 30_000);
      expect(inChannel(since).filter((m) => String(m.content).includes('wants to call'))).toEqual([]);
      const audited = (await harness.tc.council.audit.list(50)).filter((entry) => entry.action === 'tool.call' && entry.at.getTime() >= since).map((entry) => (entry.detail as { outcome: string; approval: string }));
      expect(audited).toEqual([expect.objectContaining({ outcome: 'no_approver', approval: 'unavailable' })]);
    } finally {
      discord.setPermission(channel.id, 'SendMessages', true);
    }
  });
});

describe('/council tools', () => {
  it('shows what is allowed here with its approval, the built-ins, and a tool server that is down', async () => {
    await allow('admins');
    const { token } = discord.sendSlashCommand({ name: 'council', channelId: channel.id, user: bob, memberPermissions: noPermissions, options: [{ name: 'tools', type: 1 }] });
    const shown = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`), 30_000);
    const content = String((shown.body as { content: string }).content);
    expect(content).toContain('**Allowed here** (someone with Manage Server approves each call, 10 s to answer): `council.search_decisions` ✅');
    expect(content).toContain('**Built in** (read-only): `council.search_meetings`, `council.search_decisions`, `council.search_memories`');
    expect(content).toMatch(/\*\*down\*\*: ⚠️ MCP server down did not start/);
    await harness.tc.council.settings.reset('channel', channel.id, ['tools'], adminCaller, { guild: discord.guildId });
    const again = discord.sendSlashCommand({ name: 'council', channelId: channel.id, user: bob, memberPermissions: noPermissions, options: [{ name: 'tools', type: 1 }] });
    const none = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${again.token}/messages/@original`), 30_000);
    expect(String((none.body as { content: string }).content)).toContain('**Allowed here:** none');
  });

  it('allowing a tool in Discord pins it (answered after a deferral, since a server may take a while to list)', async () => {
    const manageChannels = String(1n << 4n);
    const { token } = discord.sendSlashCommand({
      name: 'council',
      channelId: channel.id,
      user: mina,
      memberPermissions: manageChannels,
      options: [{ name: 'settings', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'key', type: 3, value: 'tools' }, { name: 'value', type: 3, value: 'council.search_decisions, council.search_meetings' }] }] }],
    });
    const edit = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`), 30_000);
    const content = String((edit.body as { content: string }).content);
    expect(content).toMatch(/^Set \*\*tools\*\* on this channel\./);
    expect(content).toMatch(/• \*\*tools\*\*: `council\.search_decisions` \(pinned [0-9a-f]{8}\), `council\.search_meetings` \(pinned [0-9a-f]{8}\) · channel/);
    const refused = discord.sendSlashCommand({
      name: 'council',
      channelId: channel.id,
      user: mina,
      memberPermissions: manageChannels,
      options: [{ name: 'settings', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'key', type: 3, value: 'tools' }, { name: 'value', type: 3, value: 'fs.delete' }] }] }],
    });
    const line = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${refused.token}/messages/@original`), 30_000);
    expect(String((line.body as { content: string }).content)).toContain('no tool "fs.delete" is offered now');
    await harness.tc.council.settings.reset('channel', channel.id, ['tools'], adminCaller, { guild: discord.guildId });
  });
});
