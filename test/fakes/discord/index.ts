import { setTimeout as sleep } from 'node:timers/promises';
import type { PermissionName } from './rules/permissions.js';
import { FakeDiscordServer, type Fault, type RecordedCall } from './server.js';
import { snowflake } from './snowflake.js';
import { channelTypes, type FakeChannel, type FakeDiscordState, type FakeGuild, type FakeMessage, type FakeUser } from './state.js';

export type { Fault, RecordedCall } from './server.js';
export type { FakeChannel, FakeGuild, FakeMessage, FakeUser } from './state.js';

/** A file a person attaches; `size` may claim more than the content, as a test of limits checked before download. */
export interface FakeFile {
  name: string;
  content: string | Uint8Array;
  contentType?: string;
  size?: number;
}
export { limits } from './rules/limits.js';

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
  /** Runs `action` once, as the first call matching `predicate` is answered and before the bot reads the answer. */
  onceAnswered(predicate: (call: RecordedCall) => boolean, action: () => void): void;
  /** Ids of live gateway sessions. */
  readonly connected: number;
  user(name?: string): FakeUser;
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  sendSlashCommand(input: { name: string; options?: CommandOption[]; user?: FakeUser; channelId?: string; memberPermissions?: string }): { interactionId: string; token: string; sentAt: number };
  /** A message's Apps menu command (application command type 3) on `targetMessageId`, which the interaction resolves as Discord does. */
  sendMessageCommand(input: { name: string; targetMessageId: string; user?: FakeUser; channelId?: string; memberPermissions?: string }): { interactionId: string; token: string };
  sendAutocomplete(input: { name: string; options: CommandOption[]; user?: FakeUser; channelId?: string }): { interactionId: string; token: string };
  /** `memberPermissions`: the presser's permission bits (all by default), e.g. without Manage Server. */
  clickButton(input: { customId: string; messageId: string; channelId?: string; user?: FakeUser; memberPermissions?: string }): { interactionId: string; token: string };
  /** `attachments`: files on the message, served by the stand-in at the URLs it puts on them. */
  sendMessage(input: { content: string; channelId?: string; author?: FakeUser; referenceMessageId?: string; webhookId?: string; attachments?: FakeFile[] }): FakeMessage;
  /** Forwards a message (type 0 with a forward reference and message_snapshots, no content of its own). */
  forwardMessage(input: { messageId: string; channelId?: string; author?: FakeUser }): FakeMessage;
  /** The "pinned a message" notice (type 6) Discord posts when someone pins. */
  pinNotice(input: { messageId: string; author?: FakeUser }): FakeMessage;
  /** A moderator deleting a message (MESSAGE_DELETE is dispatched). */
  deleteMessage(id: string): void;
  /** A moderator deleting several messages of one channel at once (one MESSAGE_DELETE_BULK, as Discord sends for a purge or a ban's cleanup). */
  bulkDeleteMessages(ids: string[]): void;
  setManageWebhooks(allowed: boolean): void;
  /** Grants or takes away one bot permission in a channel and its threads (CHANNEL_UPDATE is dispatched). */
  setPermission(channelId: string, name: PermissionName, allowed: boolean): void;
  /**
   * A moderator archiving or locking a thread (THREAD_UPDATE; archiving sets
   * archive_timestamp to now). `announce: 'later'` holds the gateway's
   * THREAD_UPDATE (as it was at the change) until the returned function is
   * called: the bot's REST calls meanwhile meet the new state first, as they
   * may on Discord.
   */
  setThreadState(threadId: string, change: { archived?: boolean; locked?: boolean }, options?: { announce?: 'now' | 'later' }): () => void;
  /** A moderator deleting a thread (THREAD_DELETE) or a channel with its threads (CHANNEL_DELETE): from then on Unknown Channel (10003). */
  deleteChannel(id: string): void;
  addForum(name: string): FakeChannel;
  /**
   * Another server adds the bot (someone used its invite link): GUILD_CREATE
   * with one text channel, `general`. `before: true` makes it a guild the bot
   * was already in when it connected (call it before the bot logs in).
   */
  addGuild(name: string, options?: { before?: boolean }): { guild: FakeGuild; channelId: string };
  /** The Developer Portal's Public Bot switch, as GET /applications/@me reports it (on by default). */
  setBotPublic(isPublic: boolean): void;
  /** A text channel, in a category when `parentId` names one. */
  addTextChannel(name: string, options?: { parentId?: string }): FakeChannel;
  /** A public thread someone opened in a text channel (THREAD_CREATE). */
  addThread(name: string, parentId: string): FakeChannel;
  /** A category (channel type 4) that text channels may sit in. */
  addCategory(name: string): FakeChannel;
  /** A role in the default guild (GUILD_ROLE_CREATE); returns its id. */
  addRole(name: string): string;
  /** The roles a user holds: they come with the member in interactions and messages. */
  setRoles(user: FakeUser, roleIds: string[]): void;
  /** Webhooks made by someone else, to fill a channel towards Discord's 15. */
  addForeignWebhooks(channelId: string, count: number): void;
  deleteWebhook(id: string): void;
  /** The Developer Portal's Message Content switch: off, an IDENTIFY asking for it is closed with 4014. */
  setMessageContentIntent(enabled: boolean): void;
  /** Moves the interaction-token clock forward (tokens live 15 minutes, the first response 3 s). */
  advanceClock(ms: number): void;
  failNext(fault: Fault): void;
  /** Rate limits are on by default; raw-REST tests of other rules may turn them off. */
  setRateLimits(enabled: boolean): void;
  requestReconnect(): void;
  invalidateSession(resumable?: boolean): void;
  dropConnections(): void;
  /** Answers with 429 so far (rate limits and injected ones). */
  readonly tooManyRequests: number;
  readonly gatewayStats: { identified: number; resumed: number };
  stop(): Promise<void>;
}

/** A Discord stand-in (REST + gateway) that a real discord.js Client logs into with rest.api = apiUrl. */
export async function startFakeDiscord(options: { token?: string; botHasManageWebhooks?: boolean } = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-bot-token';
  const server = new FakeDiscordServer(token, options.botHasManageWebhooks ?? true);
  await server.listen();
  const { state } = server;
  const defaultUser = state.user('100000000000000001', 'Alice');

  const member = (user: FakeUser, permissions: string) => ({ user, roles: state.memberRoles.get(user.id) ?? [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null });
  const interaction = (type: number, data: unknown, user: FakeUser, channelId: string, permissions = '2147483647', extra: Record<string, unknown> = {}) => {
    const id = snowflake();
    const itoken = `itok${id}`;
    const channel = state.channels.get(channelId);
    const guildId = channel?.guild_id ?? state.guildId;
    // An application that is not in a server has no commands there: Discord delivers no interaction from it.
    if (!state.guilds.get(guildId)?.member) throw new Error(`the bot is not in guild ${guildId}: Discord would deliver no interaction from it`);
    const component = (extra.message as { id?: string } | undefined)?.id;
    state.interactions.set(id, { id, token: itoken, createdAt: state.now(), acknowledged: false, type, ...(component ? { messageId: component } : {}) });
    server.gateway.dispatch('INTERACTION_CREATE', {
      id,
      application_id: state.appId,
      type,
      data,
      guild_id: guildId,
      channel_id: channelId,
      channel,
      member: member(user, permissions),
      token: itoken,
      version: 1,
      app_permissions: String(state.botPermissions(channelId)),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
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
    onceAnswered(predicate, action) {
      const hook = (call: RecordedCall) => {
        if (!predicate(call)) return;
        server.onAnswer.splice(server.onAnswer.indexOf(hook), 1);
        action();
      };
      server.onAnswer.push(hook);
    },
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
      const sent = interaction(2, { id: command?.id ?? snowflake(), name, type: 1, options, guild_id: state.channels.get(channelId)?.guild_id ?? state.guildId }, user, channelId, memberPermissions);
      return { ...sent, sentAt: Date.now() };
    },
    sendMessageCommand({ name, targetMessageId, user = defaultUser, channelId, memberPermissions }) {
      const target = state.messages.get(targetMessageId);
      if (!target) throw new Error(`no message ${targetMessageId}: Discord offers the Apps menu only on a message someone sees`);
      const command = state.commands.find((c) => (c as { name: string; type?: number }).name === name && (c as { type?: number }).type === 3) as { id: string } | undefined;
      if (!command) throw new Error(`no message command "${name}" registered: Discord would not show it in the Apps menu`);
      const where = channelId ?? target.channel_id;
      return interaction(2, { id: command.id, name, type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } }, guild_id: state.channels.get(where)?.guild_id ?? state.guildId }, user, where, memberPermissions);
    },
    sendAutocomplete({ name, options, user = defaultUser, channelId = state.textChannelId }) {
      const command = state.commands.find((c) => (c as { name: string }).name === name) as { id: string } | undefined;
      return interaction(4, { id: command?.id ?? snowflake(), name, type: 1, options }, user, channelId);
    },
    clickButton({ customId, messageId, channelId = state.textChannelId, user = defaultUser, memberPermissions }) {
      const message = state.messages.get(messageId) ?? { id: messageId, channel_id: channelId, content: '', author: state.bot, embeds: [], components: [], attachments: [], timestamp: new Date().toISOString(), edited_timestamp: null };
      return interaction(3, { custom_id: customId, component_type: 2 }, user, channelId, memberPermissions, { message });
    },
    sendMessage({ content, channelId = state.textChannelId, author = defaultUser, referenceMessageId, webhookId, attachments = [] }) {
      const files = attachments.map((file) => {
        const id = snowflake();
        const content = Buffer.from(file.content);
        state.files.set(`${id}/${file.name}`, { content, contentType: file.contentType ?? 'application/octet-stream' });
        const url = `http://127.0.0.1:${server.port}/attachments/${id}/${encodeURIComponent(file.name)}`;
        return { id, filename: file.name, size: file.size ?? content.length, url, proxy_url: url, content_type: file.contentType ?? 'application/octet-stream' };
      });
      const message = state.addMessage(channelId, author, { content, attachments: files }, webhookId);
      if (referenceMessageId) {
        message.type = 19;
        message.message_reference = { message_id: referenceMessageId, channel_id: channelId, guild_id: state.guildId };
        message.referenced_message = state.messages.get(referenceMessageId) ?? null;
      }
      server.gateway.dispatch('MESSAGE_CREATE', { ...message, member: member(author, '0') });
      return message;
    },
    forwardMessage({ messageId, channelId = state.textChannelId, author = defaultUser }) {
      const source = state.messages.get(messageId)!;
      const message = state.addMessage(channelId, author, { content: '' });
      message.message_reference = { type: 1, message_id: source.id, channel_id: source.channel_id, guild_id: state.guildId };
      message.message_snapshots = [{ message: { type: source.type, content: source.content, embeds: source.embeds, attachments: source.attachments, timestamp: source.timestamp, edited_timestamp: null, flags: 0, mentions: [], mention_roles: [] } }];
      server.gateway.dispatch('MESSAGE_CREATE', { ...message, member: member(author, '0') });
      return message;
    },
    pinNotice({ messageId, author = defaultUser }) {
      const pinned = state.messages.get(messageId)!;
      pinned.pinned = true;
      const message = state.addMessage(pinned.channel_id, author, { content: '' });
      message.type = 6;
      message.message_reference = { type: 0, message_id: pinned.id, channel_id: pinned.channel_id, guild_id: state.guildId };
      server.gateway.dispatch('MESSAGE_CREATE', { ...message, member: member(author, '0') });
      return message;
    },
    deleteMessage(id) {
      const message = state.messages.get(id);
      if (!message) return;
      state.messages.delete(id);
      server.gateway.dispatch('MESSAGE_DELETE', { id, channel_id: message.channel_id, guild_id: state.channels.get(message.channel_id)?.guild_id ?? state.guildId });
    },
    bulkDeleteMessages(ids) {
      const gone = ids.map((id) => state.messages.get(id));
      const channelId = gone[0]?.channel_id;
      // One dispatch names one channel: Discord deletes in bulk per channel, never messages it does not have.
      if (!channelId || gone.some((m) => m?.channel_id !== channelId)) throw new Error('bulk deletion takes existing messages of one channel');
      for (const id of ids) state.messages.delete(id);
      server.gateway.dispatch('MESSAGE_DELETE_BULK', { ids, channel_id: channelId, guild_id: state.channels.get(channelId)?.guild_id ?? state.guildId });
    },
    setManageWebhooks(allowed) {
      state.manageWebhooks = allowed;
      server.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: state.guildId, role: state.botRolePayload() });
    },
    setPermission(channelId, name, allowed) {
      const channel = state.setChannelPermission(channelId, name, allowed);
      server.gateway.dispatch('CHANNEL_UPDATE', channel);
    },
    setThreadState(threadId, change, options) {
      const thread = state.channels.get(threadId)!;
      if (change.archived && !thread.thread_metadata!.archived) thread.thread_metadata!.archive_timestamp = new Date().toISOString();
      Object.assign(thread.thread_metadata!, change);
      const snapshot = structuredClone(thread);
      const announce = () => server.gateway.dispatch('THREAD_UPDATE', snapshot);
      if (options?.announce === 'later') return announce;
      announce();
      return () => {};
    },
    deleteChannel(id) {
      const channel = state.channels.get(id);
      if (!channel) return;
      const gone = [channel, ...[...state.channels.values()].filter((c) => c.parent_id === id && c.thread_metadata)];
      for (const c of gone) {
        state.channels.delete(c.id);
        for (const message of [...state.messages.values()]) if (message.channel_id === c.id) state.messages.delete(message.id);
      }
      const payload = { id, guild_id: channel.guild_id, parent_id: channel.parent_id ?? null, type: channel.type };
      server.gateway.dispatch(channel.thread_metadata ? 'THREAD_DELETE' : 'CHANNEL_DELETE', payload);
    },
    addForum(name) {
      const forum = state.addChannel(name, channelTypes.forum);
      server.gateway.dispatch('CHANNEL_CREATE', forum);
      return forum;
    },
    addGuild(name, { before = false } = {}) {
      const guild = state.addGuild(name);
      const channel = state.addChannel('general', channelTypes.text, guild.id);
      if (!before) server.gateway.dispatch('GUILD_CREATE', state.guildPayload(guild.id));
      return { guild, channelId: channel.id };
    },
    setBotPublic(isPublic) {
      state.botPublic = isPublic;
    },
    addTextChannel(name, { parentId } = {}) {
      const channel = state.addChannel(name, channelTypes.text);
      if (parentId) channel.parent_id = parentId;
      server.gateway.dispatch('CHANNEL_CREATE', channel);
      return channel;
    },
    addThread(name, parentId) {
      const parent = state.channels.get(parentId)!;
      const thread = state.addChannel(name, channelTypes.publicThread, parent.guild_id);
      Object.assign(thread, { parent_id: parentId, owner_id: defaultUser.id, thread_metadata: { archived: false, locked: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString() }, message_count: 0, member_count: 1 });
      server.gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return thread;
    },
    addCategory(name) {
      const category = state.addChannel(name, channelTypes.category);
      server.gateway.dispatch('CHANNEL_CREATE', category);
      return category;
    },
    addRole(name) {
      const role = { id: snowflake(), name, guildId: state.guildId };
      state.roles.push(role);
      server.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: state.guildId, role: state.rolePayload(role, state.roles.length - 1) });
      return role.id;
    },
    setRoles(user, roleIds) {
      state.memberRoles.set(user.id, roleIds);
    },
    addForeignWebhooks(channelId, count) {
      for (let i = 0; i < count; i++) {
        const id = snowflake();
        state.webhooks.set(id, { id, token: `foreign${id}`, channel_id: channelId, name: `Other ${i}`, owner: state.user(snowflake(), 'Someone Else') });
      }
    },
    deleteWebhook(id) {
      state.webhooks.delete(id);
    },
    setMessageContentIntent(enabled) {
      state.messageContentIntent = enabled;
    },
    advanceClock(ms) {
      state.clockOffsetMs += ms;
    },
    setRateLimits(enabled) {
      server.rateLimits.enabled = enabled;
    },
    failNext(fault) {
      server.faults.push({ ...fault });
    },
    requestReconnect: () => server.gateway.requestReconnect(),
    invalidateSession: (resumable = false) => server.gateway.invalidateSessions(resumable),
    dropConnections: () => server.gateway.dropConnections(),
    get tooManyRequests() {
      return server.calls.filter((c) => c.status === 429).length;
    },
    get gatewayStats() {
      return { identified: server.gateway.identified, resumed: server.gateway.resumed };
    },
    stop: () => server.close(),
  };
}
