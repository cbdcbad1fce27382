import { ChannelType, Client, Events, GatewayIntentBits, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './index.js';

let discord: FakeDiscord;
let client: Client;

beforeAll(async () => {
  discord = await startFakeDiscord();
  client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: discord.apiUrl } });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(discord.token);
  await ready;
});
afterAll(async () => {
  await client.destroy();
  await discord.stop();
});

describe('Discord stand-in', () => {
  it('lets a real discord.js client log in and see the guild', () => {
    expect(client.user?.id).toBe(discord.botUserId);
    expect(client.guilds.cache.get(discord.guildId)?.channels.cache.get(discord.channelId)?.type).toBe(ChannelType.GuildText);
  });

  it('delivers slash commands and records the replies', async () => {
    const seen = new Promise<void>((resolve) =>
      client.once(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.deferReply();
        await interaction.editReply(`hello ${interaction.options.getString('who')}`);
        resolve();
      }),
    );
    const { token } = discord.sendSlashCommand({ name: 'greet', options: [{ name: 'who', type: 3, value: 'world' }] });
    await seen;
    expect(discord.calls.find((c) => c.path.includes(`/${token}/callback`))?.body.type).toBe(5);
    expect(discord.calls.find((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`))?.body.content).toBe('hello world');
  });

  it('executes webhooks with persona names, in threads, with files', async () => {
    const channel = client.channels.cache.get(discord.channelId) as TextChannel;
    const webhook = await channel.createWebhook({ name: 'Council' });
    const thread = await channel.threads.create({ name: 'A meeting' });
    const message = await webhook.send({ content: 'hi', username: 'Priya Raman', avatarURL: 'https://example.invalid/a.png', threadId: thread.id, files: [{ attachment: Buffer.from('# Minutes'), name: 'minutes.md' }] });
    expect(message.channelId).toBe(thread.id);
    const call = discord.calls.find((c) => c.method === 'POST' && c.path === `/webhooks/${webhook.id}/${webhook.token}`)!;
    expect(call.body).toMatchObject({ username: 'Priya Raman', avatar_url: 'https://example.invalid/a.png' });
    expect(call.query.thread_id).toBe(thread.id);
    expect(call.files).toEqual([{ name: 'minutes.md', content: '# Minutes' }]);
  });

  it('refuses webhooks without Manage Webhooks, like Discord', async () => {
    discord.setManageWebhooks(false);
    const channel = client.channels.cache.get(discord.channelId) as TextChannel;
    await expect(channel.createWebhook({ name: 'x' })).rejects.toMatchObject({ code: 50013 });
    discord.setManageWebhooks(true);
  });

  it('delivers messages and button clicks', async () => {
    const got = new Promise<string>((resolve) => client.once(Events.MessageCreate, (m) => resolve(m.content)));
    discord.sendMessage({ content: 'ping' });
    expect(await got).toBe('ping');
    const clicked = new Promise<string>((resolve) => client.once(Events.InteractionCreate, (i) => i.isButton() && resolve(i.customId)));
    discord.clickButton({ customId: 'meeting:stop:1', messageId: '1' });
    expect(await clicked).toBe('meeting:stop:1');
  });

  it('rejects a wrong token', async () => {
    const bad = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
    await expect(bad.login('wrong-token')).rejects.toThrow(/invalid token/i);
    await bad.destroy();
  });
});
