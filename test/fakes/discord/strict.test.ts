import { Client, Events, GatewayIntentBits, type Message } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/waitFor.js';
import { startFakeDiscord, type FakeDiscord } from './index.js';

let discord: FakeDiscord;
let hook: { id: string; token: string };
let threadId: string;
let botMessageId: string;

const api = (path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}) =>
  fetch(`${discord.apiUrl}/v10${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...(init.auth === false ? {} : { authorization: `Bot ${discord.token}` }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
const refusal = async (response: Response) => ({ status: response.status, body: (await response.json()) as { code: number; message: string; errors?: unknown; retry_after?: number } });
const embed = (extra: Record<string, unknown>) => ({ embeds: [{ title: 't', ...extra }] });

beforeAll(async () => {
  discord = await startFakeDiscord();
  // Every rule but the rate limits is proven one bad request at a time; the rate-limit tests turn them back on.
  discord.setRateLimits(false);
  hook = (await (await api(`/channels/${discord.channelId}/webhooks`, { body: { name: 'Council' } })).json()) as { id: string; token: string };
  threadId = ((await (await api(`/channels/${discord.channelId}/threads`, { body: { name: 'A thread', type: 11 } })).json()) as { id: string }).id;
  botMessageId = ((await (await api(`/channels/${discord.channelId}/messages`, { body: { content: 'hello' } })).json()) as { id: string }).id;
});
afterAll(() => discord.stop());

describe('strict stand-in: payload limits (50035)', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['content over 2000', { content: 'x'.repeat(2001) }, 'content'],
    ['embed title over 256', embed({ title: 'x'.repeat(257) }), 'title'],
    ['embed description over 4096', embed({ description: 'x'.repeat(4097) }), 'description'],
    ['field name over 256', embed({ fields: [{ name: 'x'.repeat(257), value: 'v' }] }), 'name'],
    ['field value over 1024', embed({ fields: [{ name: 'n', value: 'x'.repeat(1025) }] }), 'value'],
    ['more than 25 fields', embed({ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }), 'fields'],
    ['embeds over 6000 in total', { embeds: [{ description: 'x'.repeat(4000) }, { description: 'x'.repeat(2100) }] }, 'MAX_EMBED_SIZE_EXCEEDED'],
    ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) }, 'embeds'],
  ];
  for (const [name, body, mentions] of cases) {
    it(`refuses ${name}`, async () => {
      const { status, body: error } = await refusal(await api(`/channels/${discord.channelId}/messages`, { body }));
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
      expect(JSON.stringify(error.errors)).toContain(mentions);
    });
  }

  it('applies the same limits to edits, webhook executes and interaction responses', async () => {
    expect((await refusal(await api(`/channels/${discord.channelId}/messages/${botMessageId}`, { method: 'PATCH', body: { content: 'x'.repeat(2001) } }))).body.code).toBe(50035);
    expect((await refusal(await api(`/webhooks/${hook.id}/${hook.token}?wait=true`, { body: { content: 'x'.repeat(2001) } }))).body.code).toBe(50035);
    const { interactionId, token } = discord.sendSlashCommand({ name: 'ask' });
    expect((await refusal(await api(`/interactions/${interactionId}/${token}/callback`, { body: { type: 4, data: { content: 'x'.repeat(2001) } } }))).body.code).toBe(50035);
  });

  it('refuses an empty message (50006)', async () => {
    expect((await refusal(await api(`/channels/${discord.channelId}/messages`, { body: { content: '' } }))).body.code).toBe(50006);
  });
});

describe('strict stand-in: webhooks and threads', () => {
  it('refuses webhook names outside 1-80 or containing "discord" or "clyde"', async () => {
    for (const name of ['', 'x'.repeat(81), 'My Discord Bot', 'clyde']) {
      const { body } = await refusal(await api(`/channels/${discord.channelId}/webhooks`, { body: { name } }));
      expect(body.code).toBe(50035);
    }
    const { body } = await refusal(await api(`/webhooks/${hook.id}/${hook.token}?wait=true`, { body: { content: 'hi', username: 'Clyde the helper' } }));
    expect(JSON.stringify(body.errors)).toContain('USERNAME_INVALID_CONTAINS');
  });

  it('refuses thread names outside 1-100', async () => {
    expect((await refusal(await api(`/channels/${discord.channelId}/threads`, { body: { name: 'x'.repeat(101), type: 11 } }))).body.code).toBe(50035);
  });

  it('refuses the 16th webhook of a channel (30007)', async () => {
    const channel = discord.state.addChannel('full', 0);
    discord.addForeignWebhooks(channel.id, 15);
    expect(await refusal(await api(`/channels/${channel.id}/webhooks`, { body: { name: 'Council' } }))).toEqual({ status: 400, body: { code: 30007, message: 'Maximum number of webhooks reached (15)' } });
  });

  it('has no webhooks on threads: the parent webhook with thread_id, edits included', async () => {
    expect((await refusal(await api(`/channels/${threadId}/webhooks`, { body: { name: 'Council' } }))).body.code).toBe(50024);
    const sent = (await (await api(`/webhooks/${hook.id}/${hook.token}?wait=true&thread_id=${threadId}`, { body: { content: 'in thread' } })).json()) as { id: string; channel_id: string };
    expect(sent.channel_id).toBe(threadId);
    expect((await refusal(await api(`/webhooks/${hook.id}/${hook.token}/messages/${sent.id}`, { method: 'PATCH', body: { content: 'edit' } }))).body.code).toBe(10008);
    expect((await api(`/webhooks/${hook.id}/${hook.token}/messages/${sent.id}?thread_id=${threadId}`, { method: 'PATCH', body: { content: 'edit' } })).status).toBe(200);
  });

  it('answers Unknown Webhook (10015) for a deleted webhook and Unknown Message (10008) for a deleted message', async () => {
    const other = (await (await api(`/channels/${discord.channelId}/webhooks`, { body: { name: 'Temp' } })).json()) as { id: string; token: string };
    discord.deleteWebhook(other.id);
    expect((await refusal(await api(`/webhooks/${other.id}/${other.token}?wait=true`, { body: { content: 'x' } }))).body.code).toBe(10015);
    const message = (await (await api(`/channels/${discord.channelId}/messages`, { body: { content: 'soon gone' } })).json()) as { id: string };
    discord.deleteMessage(message.id);
    expect((await refusal(await api(`/channels/${discord.channelId}/messages/${message.id}`, { method: 'PATCH', body: { content: 'x' } }))).body.code).toBe(10008);
  });

  it('refuses posts in a locked thread (160005) and edits in an archived one (50083); a post unarchives an archived thread', async () => {
    const thread = ((await (await api(`/channels/${discord.channelId}/threads`, { body: { name: 'Locked', type: 11 } })).json()) as { id: string }).id;
    const inThread = (await (await api(`/channels/${thread}/messages`, { body: { content: 'first' } })).json()) as { id: string };
    discord.setThreadState(thread, { archived: true });
    expect((await refusal(await api(`/channels/${thread}/messages/${inThread.id}`, { method: 'PATCH', body: { content: 'x' } }))).body.code).toBe(50083);
    expect((await api(`/channels/${thread}/messages`, { body: { content: 'wakes it' } })).status).toBe(200);
    expect(discord.state.channels.get(thread)!.thread_metadata!.archived).toBe(false);
    discord.setThreadState(thread, { locked: true, archived: true });
    discord.setPermission(discord.channelId, 'ManageThreads', false);
    expect((await refusal(await api(`/webhooks/${hook.id}/${hook.token}?wait=true&thread_id=${thread}`, { body: { content: 'x' } }))).body.code).toBe(160005);
    expect((await refusal(await api(`/channels/${thread}/messages`, { body: { content: 'x' } }))).body.code).toBe(160005);
    discord.setPermission(discord.channelId, 'ManageThreads', true);
  });

  it('refuses webhook posts to a forum without thread_id (220001) and forum threads without a first message', async () => {
    const forum = discord.addForum('ideas');
    const forumHook = (await (await api(`/channels/${forum.id}/webhooks`, { body: { name: 'Council' } })).json()) as { id: string; token: string };
    expect((await refusal(await api(`/webhooks/${forumHook.id}/${forumHook.token}?wait=true`, { body: { content: 'x' } }))).body.code).toBe(220001);
    expect((await refusal(await api(`/channels/${forum.id}/threads`, { body: { name: 'Post' } }))).body.code).toBe(50035);
    expect((await refusal(await api(`/channels/${forum.id}/messages`, { body: { content: 'x' } }))).body.code).toBe(40058);
    expect((await api(`/channels/${forum.id}/threads`, { body: { name: 'Post', message: { content: 'first' } } })).status).toBe(201);
  });
});

describe('strict stand-in: permissions (50001, 50013)', () => {
  const rules: Array<[Parameters<FakeDiscord['setPermission']>[1], () => Promise<Response>, number]> = [
    ['ViewChannel', () => api(`/channels/${discord.channelId}/messages`, { body: { content: 'x' } }), 50001],
    ['SendMessages', () => api(`/channels/${discord.channelId}/messages`, { body: { content: 'x' } }), 50013],
    ['SendMessagesInThreads', () => api(`/channels/${threadId}/messages`, { body: { content: 'x' } }), 50013],
    ['CreatePublicThreads', () => api(`/channels/${discord.channelId}/threads`, { body: { name: 'x', type: 11 } }), 50013],
    ['ManageWebhooks', () => api(`/channels/${discord.channelId}/webhooks`, { body: { name: 'x' } }), 50013],
    ['ReadMessageHistory', () => api(`/channels/${discord.channelId}/messages/${botMessageId}`, { method: 'GET' }), 50001],
    ['EmbedLinks', () => api(`/channels/${discord.channelId}/messages`, { body: embed({}) }), 50013],
  ];
  for (const [permission, request, code] of rules) {
    it(`without ${permission}: ${code}`, async () => {
      discord.setPermission(discord.channelId, permission, false);
      try {
        expect((await refusal(await request())).body.code).toBe(code);
      } finally {
        discord.setPermission(discord.channelId, permission, true);
      }
      expect((await request()).status).toBeLessThan(300);
    });
  }

  it('without Attach Files: 50013 for a file upload', async () => {
    discord.setPermission(discord.channelId, 'AttachFiles', false);
    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'minutes' }));
    form.append('files[0]', new Blob(['# m']), 'minutes.md');
    const response = await fetch(`${discord.apiUrl}/v10/channels/${discord.channelId}/messages`, { method: 'POST', headers: { authorization: `Bot ${discord.token}` }, body: form });
    discord.setPermission(discord.channelId, 'AttachFiles', true);
    expect((await refusal(response)).body.code).toBe(50013);
  });
});

describe('strict stand-in: interactions', () => {
  it('takes one acknowledgement (40060), within 3 s (10062)', async () => {
    const first = discord.sendSlashCommand({ name: 'ask' });
    expect((await api(`/interactions/${first.interactionId}/${first.token}/callback`, { body: { type: 5 } })).status).toBe(204);
    expect((await refusal(await api(`/interactions/${first.interactionId}/${first.token}/callback`, { body: { type: 5 } }))).body.code).toBe(40060);
    const late = discord.sendSlashCommand({ name: 'ask' });
    discord.advanceClock(3_500);
    expect(await refusal(await api(`/interactions/${late.interactionId}/${late.token}/callback`, { body: { type: 5 } }))).toEqual({ status: 404, body: { code: 10062, message: 'Unknown interaction' } });
  });

  it('answers a button with UPDATE_MESSAGE (7) by editing the message the button is on; a slash command has no message to update', async () => {
    const message = discord.sendMessage({ content: 'Approve?' });
    message.components = [{ type: 1, components: [{ type: 2, custom_id: 'tool:approve:1', label: 'Approve', style: 3 }] }];
    const click = discord.clickButton({ customId: 'tool:approve:1', messageId: message.id });
    expect((await api(`/interactions/${click.interactionId}/${click.token}/callback`, { body: { type: 7, data: { content: 'Approved by Alice.', components: [] } } })).status).toBe(204);
    expect(discord.state.messages.get(message.id)).toMatchObject({ content: 'Approved by Alice.', components: [], edited_timestamp: expect.any(String) });
    const slash = discord.sendSlashCommand({ name: 'ask' });
    expect((await refusal(await api(`/interactions/${slash.interactionId}/${slash.token}/callback`, { body: { type: 7, data: { content: 'x' } } }))).body.code).toBe(10062);
  });

  it('answers an autocomplete only with choices (8): at most 25, names 1 to 100 characters, values at most 100; a command takes none', async () => {
    const typed = () => discord.sendAutocomplete({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'a', focused: true }] });
    const answer = async (body: unknown) => {
      const { interactionId, token } = typed();
      return api(`/interactions/${interactionId}/${token}/callback`, { body });
    };
    const choice = (name: string, value = name) => ({ name, value });
    expect((await refusal(await answer({ type: 8, data: { choices: Array.from({ length: 26 }, (_, i) => choice(`c${i}`)) } }))).body.code).toBe(50035);
    expect((await refusal(await answer({ type: 8, data: { choices: [choice('x'.repeat(101), 'x')] } }))).body.code).toBe(50035);
    expect((await refusal(await answer({ type: 8, data: { choices: [choice('x', 'x'.repeat(101))] } }))).body.code).toBe(50035);
    expect((await refusal(await answer({ type: 8, data: { choices: [choice('')] } }))).body.code).toBe(50035);
    expect((await refusal(await answer({ type: 4, data: { content: 'x' } }))).body.code).toBe(50035);
    expect((await answer({ type: 8, data: { choices: Array.from({ length: 25 }, (_, i) => choice(`${i}`.padEnd(100, 'x'))) } })).status).toBe(204);
    const slash = discord.sendSlashCommand({ name: 'ask' });
    expect((await refusal(await api(`/interactions/${slash.interactionId}/${slash.token}/callback`, { body: { type: 8, data: { choices: [] } } }))).body.code).toBe(50035);
  });

  it('lets the token edit for 15 minutes, then answers 50027', async () => {
    const { interactionId, token } = discord.sendSlashCommand({ name: 'ask' });
    await api(`/interactions/${interactionId}/${token}/callback`, { body: { type: 5 } });
    expect((await api(`/webhooks/${discord.appId}/${token}/messages/@original`, { method: 'PATCH', body: { content: 'ok' } })).status).toBe(200);
    discord.advanceClock(15 * 60_000 + 1_000);
    expect(await refusal(await api(`/webhooks/${discord.appId}/${token}/messages/@original`, { method: 'PATCH', body: { content: 'late' } }))).toEqual({ status: 401, body: { code: 50027, message: 'Invalid Webhook Token' } });
    expect((await refusal(await api(`/webhooks/${discord.appId}/${token}`, { body: { content: 'late follow-up' } }))).body.code).toBe(50027);
  });
});

describe('strict stand-in: command registration (50035)', () => {
  const put = (body: unknown) => api(`/applications/${discord.appId}/guilds/${discord.guildId}/commands`, { method: 'PUT', body });

  it('refuses a message menu command with a description or options, and a slash command with a spaced or capitalised name', async () => {
    for (const bad of [
      { name: 'Why did you say this?', type: 3, description: 'explains' },
      { name: 'Why did you say this?', type: 3, options: [{ name: 'x', type: 3, description: 'x' }] },
      { name: 'x'.repeat(33), type: 3 },
      { name: 'Memory list', type: 1, description: 'd' },
      { name: 'memory', type: 1, description: '' },
    ]) {
      expect((await refusal(await put([bad]))).body.code).toBe(50035);
    }
    const accepted = await put([{ name: 'memory', type: 1, description: 'What Council remembers' }, { name: 'Why did you say this?', type: 3 }]);
    expect(accepted.status).toBe(200);
  });

  it('offers a message menu command only when it is registered, and only on a message that exists', () => {
    const target = discord.sendMessage({ content: 'an answer' });
    expect(discord.sendMessageCommand({ name: 'Why did you say this?', targetMessageId: target.id }).token).toMatch(/^itok/);
    expect(() => discord.sendMessageCommand({ name: 'Not registered', targetMessageId: target.id })).toThrow(/no message command/);
    expect(() => discord.sendMessageCommand({ name: 'Why did you say this?', targetMessageId: '1' })).toThrow(/no message 1/);
  });
});

describe('strict stand-in: rate limits', () => {
  it('allows 5 webhook requests per 2 s, then 429 with retry_after and X-RateLimit headers', async () => {
    discord.setRateLimits(true);
    const fresh = (await (await api(`/channels/${discord.channelId}/webhooks`, { body: { name: 'Burst' } })).json()) as { id: string; token: string };
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await api(`/webhooks/${fresh.id}/${fresh.token}?wait=true`, { body: { content: `n${i}` } }));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[4]!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(answers[0]!.headers.get('x-ratelimit-limit')).toBe('5');
    const limited = answers[5]!;
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { retry_after: number; global: boolean };
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(2);
    expect(body.global).toBe(false);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect(limited.headers.get('x-ratelimit-bucket')).toBe(answers[0]!.headers.get('x-ratelimit-bucket'));
    discord.setRateLimits(false);
  });

  it('injects 429s and 5xx on request', async () => {
    discord.failNext({ status: 502, count: 1 });
    expect((await api(`/channels/${discord.channelId}`, { method: 'GET' })).status).toBe(502);
    discord.failNext({ status: 429, count: 1 });
    expect((await api(`/channels/${discord.channelId}`, { method: 'GET' })).status).toBe(429);
    expect((await api(`/channels/${discord.channelId}`, { method: 'GET' })).status).toBe(200);
  });
});

describe('strict stand-in: gateway', () => {
  const connect = async (intents: GatewayIntentBits[]) => {
    const client = new Client({ intents, rest: { api: discord.apiUrl } });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(discord.token);
    await ready;
    return client;
  };

  it('closes with 4014 when the Message Content intent is not enabled in the portal', async () => {
    discord.setMessageContentIntent(false);
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: discord.apiUrl } });
    try {
      await expect(client.login(discord.token)).rejects.toThrow(/disallowed intent/i);
    } finally {
      discord.setMessageContentIntent(true);
      await client.destroy();
    }
  });

  it('blanks message content without the intent, and echoes the bot and webhook messages as MESSAGE_CREATE', async () => {
    const client = await connect([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    try {
      const seen: Message[] = [];
      client.on(Events.MessageCreate, (m) => void seen.push(m));
      discord.sendMessage({ content: 'secret words' });
      await api(`/channels/${discord.channelId}/messages`, { body: { content: 'from the bot' } });
      await api(`/webhooks/${hook.id}/${hook.token}?wait=true`, { body: { content: 'from a webhook' } });
      await waitFor('three MESSAGE_CREATE events', () => seen.length >= 3);
      expect(seen.map((m) => m.content)).toEqual(['', 'from the bot', '']);
      expect(seen[2]!.webhookId).toBe(hook.id);
    } finally {
      await client.destroy();
    }
  });

  it('makes the client RESUME after RECONNECT and IDENTIFY again after INVALID_SESSION', async () => {
    const client = await connect([GatewayIntentBits.Guilds]);
    try {
      const before = discord.gatewayStats;
      const resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
      discord.requestReconnect();
      await resumed;
      expect(discord.gatewayStats.resumed).toBe(before.resumed + 1);
      const readyAgain = new Promise((resolve) => client.once(Events.ShardReady, resolve));
      discord.invalidateSession(false);
      await readyAgain;
      expect(discord.gatewayStats.identified).toBe(before.identified + 1);
    } finally {
      await client.destroy();
    }
  });
});

describe('strict stand-in: other servers', () => {
  const connect = async (intents: GatewayIntentBits[]) => {
    const client = new Client({ intents, rest: { api: discord.apiUrl } });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(discord.token);
    await ready;
    return client;
  };

  it('a bot that leaves a server gets nothing more from it and may not act there; leaving twice is Unknown Guild (10004)', async () => {
    const client = await connect([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    try {
      const gone = new Promise<string>((resolve) => client.once(Events.GuildDelete, (guild) => resolve(guild.id)));
      const joined = new Promise<string>((resolve) => client.once(Events.GuildCreate, (guild) => resolve(guild.id)));
      const { guild, channelId } = discord.addGuild('Elsewhere');
      expect(await joined).toBe(guild.id);
      expect((await api(`/channels/${channelId}/messages`, { body: { content: 'hello there' } })).status).toBe(200);
      expect((await api(`/users/@me/guilds/${guild.id}`, { method: 'DELETE' })).status).toBe(204);
      expect(await gone).toBe(guild.id);
      expect((await refusal(await api(`/users/@me/guilds/${guild.id}`, { method: 'DELETE' }))).body.code).toBe(10004);
      expect((await refusal(await api(`/channels/${channelId}/messages`, { body: { content: 'still here?' } }))).body.code).toBe(50001);
      const seen: Message[] = [];
      client.on(Events.MessageCreate, (m) => void seen.push(m));
      discord.sendMessage({ channelId, content: 'not for you' });
      discord.sendMessage({ content: 'for you' });
      await waitFor('the message in the guild it is still in', () => seen.length >= 1);
      expect(seen.map((m) => m.channelId)).toEqual([discord.channelId]);
      expect(() => discord.sendSlashCommand({ name: 'ask', channelId })).toThrow(/not in guild/);
    } finally {
      await client.destroy();
    }
  });

  it('reports the Public Bot switch as GET /applications/@me bot_public', async () => {
    const read = async () => ((await (await api('/applications/@me', { method: 'GET' })).json()) as { bot_public: boolean }).bot_public;
    expect(await read()).toBe(true);
    discord.setBotPublic(false);
    expect(await read()).toBe(false);
    discord.setBotPublic(true);
  });
});
