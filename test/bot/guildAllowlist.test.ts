import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notEnabledHere } from '../../bot/functions/guards/guildGate.js';
import { createLogger } from '../../core/log.js';
import { registry } from '../../core/metrics.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { waitFor } from '../support/waitFor.js';

/** A bot harness whose log lines are kept, parsed. */
async function harnessWithLog(options: Omit<Parameters<typeof startBotHarness>[0] & object, 'log'>) {
  const lines: Array<Record<string, unknown> & { msg: string; level: number }> = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  const harness = await startBotHarness({ ...options, log: createLogger('info', sink) });
  return { harness, lines };
}

const counter = async (name: string, label: string, value: string) =>
  ((await registry.getSingleMetric(name)?.get())?.values ?? []).filter((v) => v.labels[label] === value).reduce((n, v) => n + v.value, 0);
const refused = () => counter('council_discord_refused_total', 'reason', 'guild_not_allowed');
const leaves = (outcome: string) => counter('council_discord_guild_leaves_total', 'outcome', outcome);
const left = (discord: FakeDiscord, guildId: string) => discord.calls.find((c) => c.method === 'DELETE' && c.path === `/users/@me/guilds/${guildId}`);
const agentsCommand = (discord: FakeDiscord, channelId: string) => discord.sendSlashCommand({ name: 'agents', channelId });
const callback = (discord: FakeDiscord, token: string) => discord.waitFor((c) => c.path.includes(`${token}/callback`));

describe('DISCORD_GUILDS set: Council serves only the servers named', () => {
  let harness: BotHarness;
  let lines: Awaited<ReturnType<typeof harnessWithLog>>['lines'];
  let staleGuild = '';

  beforeAll(async () => {
    // Allowed: one server that is not on the stand-in, plus DISCORD_GUILD_ID (the stand-in's own), which always counts.
    ({ harness, lines } = await harnessWithLog({
      env: { DISCORD_GUILDS: '123456789012345678' },
      beforeBot: (discord) => void (staleGuild = discord.addGuild('Joined while Council was down', { before: true }).guild.id),
    }));
  });
  afterAll(() => harness?.stop());

  it('leaves at ready a server it was already in that is not allowed, and logs it', async () => {
    const { discord } = harness;
    await waitFor('the bot to leave the stale server', () => left(discord, staleGuild)?.status === 204);
    await waitFor('the leave to be logged', () => lines.some((l) => l.msg.startsWith('left a server that is not in DISCORD_GUILDS') && l.guild === staleGuild));
    expect(left(discord, discord.guildId)).toBeUndefined();
  });

  it('in a server that adds it: an interaction gets one ephemeral line, a message gets nothing, and the bot leaves', async () => {
    const { discord } = harness;
    const refusedBefore = await refused();
    const leftBefore = await leaves('left');
    const { guild, channelId } = discord.addGuild('Stranger');
    // All three reach the bot before it can leave: GUILD_CREATE, a command and a message addressed to a colleague.
    const asked = discord.sendSlashCommand({ name: 'ask', channelId, options: [{ name: 'agent', type: 3, value: 'cto' }, { name: 'message', type: 3, value: 'Run my prompt on your GPU' }] });
    discord.sendMessage({ channelId, content: 'Priya: and this one too' });
    const reply = await callback(discord, asked.token);
    expect(reply.body).toMatchObject({ type: 4, data: { content: notEnabledHere, flags: 64 } });
    await waitFor('the bot to leave the stranger server', () => left(discord, guild.id)?.status === 204);
    await waitFor('both refusals to be counted', async () => (await refused()) - refusedBefore === 2);
    // Counted once the bot has Discord's answer to its leave, just after the stand-in recorded it.
    await waitFor('the leave to be counted once', async () => (await leaves('left')) - leftBefore === 1);
    // Nothing was posted, typed or set up in that server's channel, and the interaction got exactly one answer.
    expect(discord.calls.filter((c) => c.path.includes(channelId))).toEqual([]);
    expect(discord.calls.filter((c) => c.path.includes(asked.token))).toHaveLength(1);
    expect([...discord.state.messages.values()].filter((m) => m.channel_id === channelId && m.author.bot)).toEqual([]);
    // Gone for good: Discord delivers nothing more from it.
    expect(() => agentsCommand(discord, channelId)).toThrow(/not in guild/);
  });

  it('keeps answering in the allowed server', async () => {
    const { discord } = harness;
    const { token } = agentsCommand(discord, discord.channelId);
    const reply = await callback(discord, token);
    expect(String((reply.body.data as { content: string }).content)).toContain('backend_developer');
  });

  it('says at ready where it answers, warns once that the bot is public, and /council doctor says how to switch Public Bot off', async () => {
    const { discord } = harness;
    expect(lines.filter((l) => l.msg.startsWith('Council answers only in 2 servers (DISCORD_GUILDS)'))).toHaveLength(1);
    const warnings = lines.filter((l) => l.msg.startsWith('The bot is public'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('Bot → Public Bot');
    const { token } = discord.sendSlashCommand({ name: 'council', options: [{ name: 'doctor', type: 1 }] });
    const doctor = String(((await callback(discord, token)).body.data as { content: string }).content);
    expect(doctor).toContain('The bot is public');
    expect(doctor).toContain('Public Bot');
  });

  it('exports its counters at 0 for every label value', async () => {
    expect(await leaves('failed')).toBe(0);
    const series = (await registry.getSingleMetric('council_discord_guild_leaves_total')!.get()).values.map((v) => v.labels.outcome).sort();
    expect(series).toEqual(['failed', 'left']);
  });
});

describe('DISCORD_GUILDS unset: every server the bot is in is allowed', () => {
  let harness: BotHarness;
  let lines: Awaited<ReturnType<typeof harnessWithLog>>['lines'];
  let other = { guildId: '', channelId: '' };

  beforeAll(async () => {
    ({ harness, lines } = await harnessWithLog({
      beforeBot: (discord) => {
        discord.setBotPublic(false);
        const added = discord.addGuild('Another team', { before: true });
        other = { guildId: added.guild.id, channelId: added.channelId };
      },
    }));
  });
  afterAll(() => harness?.stop());

  it('answers in another server, stays there, and says so once at ready', async () => {
    const { discord } = harness;
    const { token } = agentsCommand(discord, other.channelId);
    expect(String(((await callback(discord, token)).body.data as { content: string }).content)).toContain('backend_developer');
    expect(left(discord, other.guildId)).toBeUndefined();
    expect(lines.filter((l) => l.msg.startsWith('DISCORD_GUILDS is unset: Council answers in every server the bot is in'))).toHaveLength(1);
  });

  it('gives no Public Bot warning when the application is private', async () => {
    const { discord } = harness;
    expect(lines.filter((l) => l.msg.startsWith('The bot is public'))).toEqual([]);
    const { token } = discord.sendSlashCommand({ name: 'council', options: [{ name: 'doctor', type: 1 }] });
    expect(String(((await callback(discord, token)).body.data as { content: string }).content)).not.toContain('Public Bot');
  });
});

describe('DISCORD_LEAVE_UNKNOWN_GUILDS=false: the bot stays in a server it does not serve, silent there', () => {
  let harness: BotHarness;
  let lines: Awaited<ReturnType<typeof harnessWithLog>>['lines'];
  let other = { guildId: '', channelId: '' };

  beforeAll(async () => {
    ({ harness, lines } = await harnessWithLog({
      env: (discord) => ({ DISCORD_GUILDS: discord.guildId, DISCORD_LEAVE_UNKNOWN_GUILDS: 'false' }),
      beforeBot: (discord) => {
        const added = discord.addGuild('Not served', { before: true });
        other = { guildId: added.guild.id, channelId: added.channelId };
      },
    }));
  });
  afterAll(() => harness?.stop());

  it('refuses every command there with one line, logs the server once, and never leaves', async () => {
    const { discord } = harness;
    for (let i = 0; i < 2; i++) {
      const { token } = agentsCommand(discord, other.channelId);
      expect((await callback(discord, token)).body).toMatchObject({ type: 4, data: { content: notEnabledHere, flags: 64 } });
    }
    expect(lines.filter((l) => l.guild === other.guildId && l.msg.includes('DISCORD_LEAVE_UNKNOWN_GUILDS=false'))).toHaveLength(1);
    expect(left(discord, other.guildId)).toBeUndefined();
    expect(discord.calls.filter((c) => c.path.includes(other.channelId))).toEqual([]);
  });
});
