import { snowflake } from '../snowflake.js';
import { noContent, notFound, ok, type Route } from './route.js';

export const channelRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/channels\/(\d+)$/,
    handle: ({ state, params }) => {
      const channel = state.channels.get(params[0]!);
      return channel ? ok(channel) : notFound('Unknown Channel', 10003);
    },
  },
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)\/messages$/,
    handle: ({ state, params, body }) => {
      if (!state.channels.has(params[0]!)) return notFound('Unknown Channel', 10003);
      return ok(state.addMessage(params[0]!, state.bot, body.json));
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/,
    handle: ({ state, params, body }) => {
      const message = state.messages.get(params[1]!);
      if (!message) return notFound('Unknown Message', 10008);
      Object.assign(message, body.json, { edited_timestamp: new Date().toISOString() });
      return ok(message);
    },
  },
  { method: 'DELETE', pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/, handle: ({ state, params }) => (state.messages.delete(params[1]!), noContent) },
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)(?:\/messages\/(\d+))?\/threads$/,
    handle: ({ state, params, body, gateway }) => {
      const parent = state.channels.get(params[0]!);
      if (!parent) return notFound('Unknown Channel', 10003);
      const thread = {
        id: snowflake(),
        type: Number(body.json.type ?? 11),
        name: String(body.json.name),
        guild_id: state.guildId,
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
      return { status: 201, body: thread };
    },
  },
  { method: 'PUT', pattern: /^\/channels\/(\d+)\/thread-members\/@me$/, handle: () => noContent },
  { method: 'DELETE', pattern: /^\/channels\/(\d+)\/thread-members\/@me$/, handle: () => noContent },
  { method: 'POST', pattern: /^\/channels\/(\d+)\/typing$/, handle: () => noContent },
];
