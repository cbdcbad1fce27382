import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../bot/startBot.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import type { FakeChannel, FakeDiscord } from '../fakes/discord/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import type { TestCouncil } from '../support/openTestCouncil.js';

// 200 interactions and 5 meetings on the strict stand-in with faults injected at random.
let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let bot: RunningBot;
let harness: BotHarness | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

let seed = 12345;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const agents = ['cto', 'backend_developer', 'qa_engineer', 'database_administrator', 'solutions_architect'] as const;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  harness = await startBotHarness({ ollama: { parallel: 4 }, env: { DISCORD_MAX_PER_USER: '8', DISCORD_MAX_PER_CHANNEL: '4' } });
  ({ ollama, discord, tc, bot } = harness);
  ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
});
afterAll(async () => {
  await harness?.stop();
  process.off('unhandledRejection', onUnhandled);
});

describe('soak on the strict stand-in', () => {
  it('survives random Discord faults over 200 interactions and 5 meetings', { timeout: 600_000 }, async () => {
    const channels: FakeChannel[] = [discord.state.channels.get(discord.channelId)!, ...['alpha', 'beta', 'gamma', 'delta'].map((name) => discord.addTextChannel(name))];
    const tokens: string[] = [];
    const meetings: string[] = [];
    const faults: Record<string, number> = {};
    const permissions = ['SendMessages', 'ManageWebhooks', 'EmbedLinks', 'SendMessagesInThreads'] as const;
    const injectFault = async () => {
      const kind = pick(['delete', 'revoke', 'lock', '429', 'reconnect', '5xx'] as const);
      faults[kind] = (faults[kind] ?? 0) + 1;
      if (kind === 'delete') {
        const recent = [...discord.state.messages.values()].filter((m) => m.webhook_id).slice(-5);
        if (recent.length > 0) discord.deleteMessage(pick(recent).id);
      } else if (kind === 'revoke') {
        const channel = pick(channels);
        const permission = pick(permissions);
        discord.setPermission(channel.id, permission, false);
        setTimeout(() => discord.setPermission(channel.id, permission, true), 300 + random() * 700);
      } else if (kind === 'lock') {
        const threads = [...discord.state.channels.values()].filter((c) => c.thread_metadata);
        if (threads.length > 0) {
          const thread = pick(threads);
          discord.setThreadState(thread.id, { locked: true, archived: true });
          setTimeout(() => discord.setThreadState(thread.id, { locked: false, archived: false }), 500);
        }
      } else if (kind === '429') {
        discord.failNext({ status: 429, count: 2, match: (_method, path) => path.startsWith('/webhooks/') });
      } else if (kind === 'reconnect') {
        if (random() < 0.5) discord.requestReconnect();
        else discord.dropConnections();
      } else {
        discord.failNext({ status: pick([500, 502, 503]), count: 1 });
      }
    };

    for (let batch = 0; batch < 20; batch++) {
      if (batch % 4 === 0) {
        const channel = channels[batch / 4]!;
        const title = `Soak meeting ${batch / 4}`;
        const sent = discord.sendSlashCommand({ name: 'meeting', channelId: channel.id, options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'daily_standup' }, { name: 'title', type: 3, value: title }, { name: 'topics', type: 3, value: 'Progress' }] }] });
        tokens.push(sent.token);
        meetings.push(title);
      }
      for (let i = 0; i < 10; i++) {
        const channel = pick(channels);
        const sent = random() < 0.15
          ? discord.sendSlashCommand({ name: 'consult', channelId: channel.id, options: [{ name: 'message', type: 3, value: `Consult ${batch}.${i}` }, { name: 'agents', type: 3, value: `${pick(agents)},${pick(agents)}` }] })
          : discord.sendSlashCommand({ name: 'ask', channelId: channel.id, options: [{ name: 'agent', type: 3, value: pick(agents) }, { name: 'message', type: 3, value: `Question ${batch}.${i}: ${'why '.repeat(Math.floor(random() * 200))}` }] });
        tokens.push(sent.token);
        if (random() < 0.4) await injectFault();
      }
      // Each interaction is settled once its deferred reply was edited, or the bot gave up on the token.
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && !tokens.every((t) => discord.calls.some((c) => c.path.includes(t) && (c.method === 'PATCH' || (c.path.endsWith('/callback') && c.status >= 400))))) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const interactions = tokens.length - meetings.length;
    expect(interactions).toBe(200);

    // Every meeting ends completed, cancelled or resumable: none is left running or pending.
    const settled = ['completed', 'cancelled', 'interrupted', 'paused', 'failed'];
    const deadline = Date.now() + 180_000;
    const statuses = async () =>
      Promise.all(meetings.map(async (title) => {
        const thread = [...discord.state.channels.values()].find((c) => c.name === title);
        const summary = thread ? await tc.council.meetings.inThread(thread.id) : undefined;
        return summary?.status ?? 'no thread';
      }));
    while (Date.now() < deadline && !(await statuses()).every((s) => settled.includes(s) || s === 'no thread')) await new Promise((resolve) => setTimeout(resolve, 200));
    const final = await statuses();
    expect(final.every((s) => ['completed', 'cancelled', 'interrupted', 'paused', 'no thread'].includes(s)), final.join(', ')).toBe(true);

    // No payload broke a limit, and the process never saw an unowned rejection.
    expect(discord.calls.filter((c) => c.code === 50035 || c.code === 50006)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(bot.status().configured).toBe(true);
    expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(40);
    console.log(`soak: ${interactions} interactions, ${meetings.length} meetings (${final.join(', ')}), faults ${JSON.stringify(faults)}, 429s ${discord.tooManyRequests}, calls ${discord.calls.length}`);
  });
});
