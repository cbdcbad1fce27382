import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscordServer, type RecordedCall } from './server.js';
import { snowflake } from './snowflake.js';
import type { FakeDiscordState, FakeMessage, FakeUser } from './state.js';

export type { RecordedCall } from './server.js';
export type { FakeMessage, FakeUser } from './state.js';

export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}

export interface FakeDiscord {
  apiUrl: string;
  token: string;
  guildId: string;
  channelId: string;
  appId: string;
  botUserId: string;
  state: FakeDiscordState;
  calls: RecordedCall[];
  /** Ids of live gateway sessions. */
  readonly connected: number;
  user(name?: string): FakeUser;
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  sendSlashCommand(input: { name: string; options?: CommandOption[]; user?: FakeUser; channelId?: string; memberPermissions?: string }): { interactionId: string; token: string; sentAt: number };
  sendAutocomplete(input: { name: string; options: CommandOption[]; user?: FakeUser; channelId?: string }): { interactionId: string; token: string };
  clickButton(input: { customId: string; messageId: string; channelId?: string; user?: FakeUser }): { interactionId: string; token: string };
  sendMessage(input: { content: string; channelId?: string; author?: FakeUser; referenceMessageId?: string; webhookId?: string }): FakeMessage;
  setManageWebhooks(allowed: boolean): void;
  deleteWebhook(id: string): void;
  stop(): Promise<void>;
}

/** A Discord stand-in (REST + gateway) that a real discord.js Client logs into with rest.api = apiUrl. */
export async function startFakeDiscord(options: { token?: string; botHasManageWebhooks?: boolean } = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-bot-token';
  const server = new FakeDiscordServer(token, options.botHasManageWebhooks ?? true);
  await server.listen();
  const { state } = server;
  const defaultUser = state.user('100000000000000001', 'Alice');

  const member = (user: FakeUser, permissions: string) => ({ user, roles: [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null });
  const interaction = (type: number, data: unknown, user: FakeUser, channelId: string, permissions = '2147483647', extra: Record<string, unknown> = {}) => {
    const id = snowflake();
    const itoken = `itok${id}`;
    const channel = state.channels.get(channelId);
    server.gateway.dispatch('INTERACTION_CREATE', {
      id,
      application_id: state.appId,
      type,
      data,
      guild_id: state.guildId,
      channel_id: channelId,
      channel,
      member: member(user, permissions),
      token: itoken,
      version: 1,
      app_permissions: '2147483647',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': state.guildId },
      context: 0,
      ...extra,
    });
    return { interactionId: id, token: itoken };
  };

  return {
    apiUrl: `http://127.0.0.1:${server.port}/api`,
    token,
    guildId: state.guildId,
    channelId: state.textChannelId,
    appId: state.appId,
    botUserId: state.bot.id,
    state,
    calls: server.calls,
    get connected() {
      return server.gateway.connected;
    },
    user: (name = 'Alice') => (name === 'Alice' ? defaultUser : state.user(snowflake(), name)),
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = server.calls.find(predicate);
        if (found) return found;
        await sleep(10);
      }
      throw new Error(`no matching Discord call within ${timeoutMs} ms; calls: ${server.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(', ')}`);
    },
    sendSlashCommand({ name, options = [], user = defaultUser, channelId = state.textChannelId, memberPermissions }) {
      const command = state.commands.find((c) => (c as { name: string }).name === name) as { id: string } | undefined;
      const sent = interaction(2, { id: command?.id ?? snowflake(), name, type: 1, options, guild_id: state.guildId }, user, channelId, memberPermissions);
      return { ...sent, sentAt: Date.now() };
    },
    sendAutocomplete({ name, options, user = defaultUser, channelId = state.textChannelId }) {
      const command = state.commands.find((c) => (c as { name: string }).name === name) as { id: string } | undefined;
      return interaction(4, { id: command?.id ?? snowflake(), name, type: 1, options }, user, channelId);
    },
    clickButton({ customId, messageId, channelId = state.textChannelId, user = defaultUser }) {
      const message = state.messages.get(messageId) ?? { id: messageId, channel_id: channelId, content: '', author: state.bot, embeds: [], components: [], attachments: [], timestamp: new Date().toISOString(), edited_timestamp: null };
      return interaction(3, { custom_id: customId, component_type: 2 }, user, channelId, undefined, { message });
    },
    sendMessage({ content, channelId = state.textChannelId, author = defaultUser, referenceMessageId, webhookId }) {
      const message = state.addMessage(channelId, author, { content }, webhookId);
      if (referenceMessageId) {
        message.type = 19;
        message.message_reference = { message_id: referenceMessageId, channel_id: channelId, guild_id: state.guildId };
        message.referenced_message = state.messages.get(referenceMessageId) ?? null;
      }
      server.gateway.dispatch('MESSAGE_CREATE', { ...message, member: member(author, '0') });
      return message;
    },
    setManageWebhooks(allowed) {
      state.manageWebhooks = allowed;
    },
    deleteWebhook(id) {
      state.webhooks.delete(id);
    },
    stop: () => server.close(),
  };
}
