import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouncilEvent } from '../../core/events.js';
import { adminCaller, discordCaller, type Caller } from '../../core/memory/scope.js';
import type { FakeChannel, FakeDiscord, FakeMessage, FakeUser } from '../fakes/discord/index.js';
import { isExtractionRequest, type FakeReply } from '../fakes/ollama/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { waitFor } from '../support/waitFor.js';

// Two processes on one Postgres: the bot's, and one without the bot (the control plane alone, `council meeting resume`)
// whose colleague wants a tool this channel allows only with the asker's approval.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: BotHarness;
let botless: TestCouncil;
let discord: FakeDiscord;
let alice: FakeUser;
let bob: FakeUser;
let channel: FakeChannel;

const inChannel = (since: number) => [...discord.state.messages.values()].filter((m) => m.channel_id === channel.id && Date.parse(m.timestamp) >= since);
const buttons = (message: FakeMessage) => (message.components as Array<{ components: Array<{ custom_id: string; label: string }> }>).flatMap((row) => row.components);
const approvalMessage = (since: number) => waitFor('the approval request', async () => inChannel(since).find((m) => String(m.content).includes('wants to call') && buttons(m).length === 2), 30_000);
const press = (message: FakeMessage, label: 'Approve' | 'Deny', user: FakeUser) =>
  discord.clickButton({ customId: buttons(message).find((b) => b.label === label)!.custom_id, messageId: message.id, channelId: channel.id, user });
const callbackOf = async (token: string) => ((await discord.waitFor((c) => c.path.includes(`${token}/callback`))).body as { type: number; data: { content: string } });
const asAlice = (): Caller => discordCaller({ userId: alice.id, name: 'Alice', guildId: discord.guildId, placeId: channel.id, place: { threadId: null, channelId: channel.id, categoryId: null } });

/** The colleague's answer, asked in the process without the bot. */
async function chatWithoutBot(message: string) {
  const events: CouncilEvent[] = [];
  for await (const event of botless.council.chatStream({ agent: 'backend_developer', message, caller: asAlice() })) events.push(event);
  const done = events.find((event) => event.type === 'turn_done') as Extract<CouncilEvent, { type: 'turn_done' }>;
  const calls = events.filter((event) => event.type === 'tool_call') as Array<Extract<CouncilEvent, { type: 'tool_call' }>>;
  return { done, calls };
}

beforeAll(async () => {
  if (!hasPostgres) return;
  database = await createTestDatabase();
  harness = await startBotHarness({ env: { DATABASE_URL: database.url } });
  discord = harness.discord;
  alice = discord.user();
  bob = discord.user('Bob');
  channel = discord.addTextChannel('tools-elsewhere');
  harness.ollama.setResponder((request): string | FakeReply => {
    if (isExtractionRequest(request)) return '{"memories": []}';
    const result = request.messages.find((m) => m.role === 'tool');
    if (result) return `Tool said: ${result.content.slice(0, 200)}`;
    if ((request.tools ?? []).length > 0) return { tool_calls: [{ function: { name: 'council.search_decisions', arguments: { query: 'retries' } } }] };
    return 'No tools here.';
  });
  await harness.tc.council.settings.set('channel', channel.id, { tools: ['council.search_decisions'], toolApproval: 'requester', toolApprovalSeconds: 30 }, adminCaller, { guild: discord.guildId });
  botless = await openTestCouncil({ ollamaUrl: harness.ollama.url, databaseUrl: database.url });
}, 120_000);
afterAll(async () => {
  await botless?.dispose();
  await harness?.stop();
  await database?.drop();
});

describe.skipIf(!hasPostgres)('a tool approval asked by a process without the bot', () => {
  it('is put in Discord by the bot process; only the asker may answer, and the call runs in the process that asked', async () => {
    const since = Date.now();
    const answer = chatWithoutBot('What did we decide about retries?');
    const request = await approvalMessage(since);
    expect(request.content).toMatch(/wants to call `council\.search_decisions` with `\{"query":"retries"\}`\. Approve\? \(Alice may answer; 30 s\)/);
    expect((await callbackOf(press(request, 'Approve', bob).token)).data.content).toBe('Only Alice may approve or deny this call.');
    expect((await callbackOf(press(request, 'Approve', alice).token)).type).toBe(7);

    const { done, calls } = await answer;
    expect(calls.map((call) => [call.tool, call.outcome, call.approval])).toEqual([['council.search_decisions', 'ok', 'approved']]);
    expect(done.content).toContain('Tool said: <tool_output tool="council.search_decisions"');
    expect(discord.state.messages.get(request.id)!.content).toContain('approved by Alice');
    // The answer came back to the process that asked; the bot's own face said nothing else in the channel.
    expect(inChannel(since).filter((m) => m.id !== request.id)).toEqual([]);
  });

  it('a denial in Discord reaches the process that asked, and the call is not run', async () => {
    const since = Date.now();
    const answer = chatWithoutBot('And the retry budget?');
    const request = await approvalMessage(since);
    await callbackOf(press(request, 'Deny', alice).token);
    const { done, calls } = await answer;
    expect(calls.map((call) => [call.outcome, call.approval])).toEqual([['denied', 'denied']]);
    expect(done.content).toContain('a person denied this call');
  });

  it('with the bot process gone, the process that asked is told nobody could be asked, never that nobody answered', async () => {
    await harness.bot.stop({ graceMs: 2_000 });
    const { done, calls } = await chatWithoutBot('Anything about timeouts?');
    expect(calls.map((call) => [call.outcome, call.approval])).toEqual([['no_approver', 'unavailable']]);
    expect(done.content).toContain("needs a person's approval, and nobody could be asked here");
  });
});
