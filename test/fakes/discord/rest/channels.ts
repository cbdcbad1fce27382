import * as err from '../rules/errors.js';
import { threadNameProblems } from '../rules/limits.js';
import { snowflake } from '../snowflake.js';
import { channelTypes, type FakeChannel } from '../state.js';
import { botPostRefusal, editRefusal, isEmpty, payloadRefusal, threadRefusal } from './guards.js';
import { noContent, ok, type Route } from './route.js';

export const channelRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/channels\/(\d+)$/,
    handle: ({ state, params }) => {
      const channel = state.channels.get(params[0]!);
      if (!channel) return err.unknownChannel();
      return state.botCan(channel.id, 'ViewChannel') ? ok(channel) : err.missingAccess();
    },
  },
  {
    method: 'GET',
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
    handle: ({ state, params }) => {
      if (!state.channels.has(params[0]!)) return err.unknownChannel();
      if (!state.botCan(params[0]!, 'ViewChannel') || !state.botCan(params[0]!, 'ReadMessageHistory')) return err.missingAccess();
      const message = state.messages.get(params[1]!);
      return message && message.channel_id === params[0] ? ok(message) : err.unknownMessage();
    },
  },
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)\/messages$/,
    handle: ({ state, params, body, gateway }) => {
      const channel = state.channels.get(params[0]!);
      if (!channel) return err.unknownChannel();
      const refused = botPostRefusal(state, channel, body) ?? payloadRefusal(body) ?? (isEmpty(body) ? err.emptyMessage() : null) ?? threadRefusal(state, channel, true);
      if (refused) return refused;
      const message = state.addMessage(channel.id, state.bot, { ...body.json, attachments: body.files.map((f, i) => ({ id: String(i), filename: f.name, size: f.content.length, url: `https://cdn.invalid/${f.name}`, proxy_url: `https://cdn.invalid/${f.name}` })) });
      gateway.dispatch('MESSAGE_CREATE', message);
      return ok(message);
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
    handle: ({ state, params, body }) => {
      const message = state.messages.get(params[1]!);
      if (!message || message.channel_id !== params[0]) return err.unknownMessage();
      if (message.author.id !== state.bot.id || message.webhook_id) return err.notAuthor();
      const refused = payloadRefusal(body) ?? editRefusal(state, params[0]!);
      if (refused) return refused;
      Object.assign(message, body.json, { edited_timestamp: new Date().toISOString() });
      return ok(message);
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
    handle: ({ state, params, gateway }) => {
      if (!state.messages.delete(params[1]!)) return err.unknownMessage();
      gateway.dispatch('MESSAGE_DELETE', { id: params[1], channel_id: params[0], guild_id: state.channels.get(params[0]!)?.guild_id ?? state.guildId });
      return noContent;
    },
  },
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)(?:\/messages\/(\d+))?\/threads$/,
    handle: ({ state, params, body, gateway }) => {
      const parent = state.channels.get(params[0]!);
      if (!parent) return err.unknownChannel();
      if (parent.type !== channelTypes.text && parent.type !== channelTypes.forum) return err.wrongChannelType();
      if (!state.botCan(parent.id, 'ViewChannel')) return err.missingAccess();
      if (!state.botCan(parent.id, 'CreatePublicThreads')) return err.missingPermissions();
      const nameProblems = threadNameProblems(body.json.name);
      if (nameProblems.length > 0) return err.invalidFormBody(nameProblems);
      const starter = body.json.message as Record<string, unknown> | undefined;
      if (parent.type === channelTypes.forum && !starter) return err.invalidFormBody([{ path: ['message'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
      const thread: FakeChannel = {
        id: snowflake(),
        type: channelTypes.publicThread,
        name: String(body.json.name),
        guild_id: parent.guild_id,
        parent_id: parent.id,
        owner_id: state.bot.id,
        thread_metadata: { archived: false, auto_archive_duration: Number(body.json.auto_archive_duration ?? 1440), archive_timestamp: new Date().toISOString(), locked: false },
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
      };
      state.channels.set(thread.id, thread);
      gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      if (starter) {
        const message = state.addMessage(thread.id, state.bot, starter);
        gateway.dispatch('MESSAGE_CREATE', message);
        return { status: 201, body: { ...thread, message } };
      }
      return { status: 201, body: thread };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/channels\/(\d+)$/,
    // A thread's state as Discord documents it: reopening an unlocked thread needs Send Messages in Threads; archiving or locking needs Manage Threads.
    handle: ({ state, params, body, gateway }) => {
      const channel = state.channels.get(params[0]!);
      if (!channel) return err.unknownChannel();
      if (!state.botCan(channel.id, 'ViewChannel')) return err.missingAccess();
      const meta = channel.thread_metadata;
      if (!meta) return err.missingPermissions();
      const { archived, locked } = body.json as { archived?: unknown; locked?: unknown };
      const manages = state.botCan(channel.id, 'ManageThreads');
      const reopens = archived === false && locked === undefined && !meta.locked;
      if ((locked !== undefined || archived !== undefined) && !manages && !(reopens && state.botCan(channel.id, 'SendMessagesInThreads'))) return err.missingPermissions();
      if (archived === true && !meta.archived) meta.archive_timestamp = new Date().toISOString();
      if (typeof archived === 'boolean') meta.archived = archived;
      if (typeof locked === 'boolean') meta.locked = locked;
      gateway.dispatch('THREAD_UPDATE', channel);
      return ok(channel);
    },
  },
  { method: 'PUT', pattern: /^\/channels\/(\d+)\/thread-members\/@me$/, handle: () => noContent },
  { method: 'DELETE', pattern: /^\/channels\/(\d+)\/thread-members\/@me$/, handle: () => noContent },
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)\/typing$/,
    // Typing needs what sending needs.
    handle: ({ state, params }) => {
      const channel = state.channels.get(params[0]!);
      if (!channel) return err.unknownChannel();
      if (!state.botCan(channel.id, 'ViewChannel')) return err.missingAccess();
      return state.botCan(channel.id, channel.thread_metadata ? 'SendMessagesInThreads' : 'SendMessages') ? noContent : err.missingPermissions();
    },
  },
];
