import { snowflake } from '../snowflake.js';
import type { FakeDiscordState, FakeWebhook } from '../state.js';
import { noContent, notFound, ok, type Route, type RouteResult } from './route.js';

const webhookPayload = (state: FakeDiscordState, hook: FakeWebhook) => ({
  id: hook.id,
  type: 1,
  token: hook.token,
  channel_id: hook.channel_id,
  guild_id: state.guildId,
  name: hook.name,
  avatar: null,
  application_id: state.appId,
  user: state.bot,
});

function findHook(state: FakeDiscordState, id: string, token: string): FakeWebhook | RouteResult {
  const hook = state.webhooks.get(id);
  return hook && hook.token === token ? hook : notFound('Unknown Webhook', 10015);
}

export const webhookRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)\/webhooks$/,
    handle: ({ state, params, body }) => {
      if (!state.manageWebhooks) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
      const hook: FakeWebhook = { id: snowflake(), token: `tok${snowflake()}`, channel_id: params[0]!, name: String(body.json.name ?? 'Council') };
      state.webhooks.set(hook.id, hook);
      return ok(webhookPayload(state, hook));
    },
  },
  {
    method: 'GET',
    pattern: /^\/channels\/(\d+)\/webhooks$/,
    handle: ({ state, params }) => {
      if (!state.manageWebhooks) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
      return ok([...state.webhooks.values()].filter((h) => h.channel_id === params[0]).map((h) => webhookPayload(state, h)));
    },
  },
  {
    method: 'POST',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)$/,
    handle: ({ state, params, body, query }) => {
      const hook = findHook(state, params[0]!, params[1]!);
      if ('status' in hook) return hook;
      const channelId = query.get('thread_id') ?? hook.channel_id;
      const author = { id: hook.id, username: String(body.json.username ?? hook.name), global_name: null, discriminator: '0000', avatar: null, bot: true };
      const message = state.addMessage(channelId, author, body.json, hook.id);
      message.avatar_url = body.json.avatar_url;
      message.allowed_mentions = body.json.allowed_mentions;
      return query.get('wait') === 'true' ? ok(message) : noContent;
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/,
    handle: ({ state, params, body }) => {
      const hook = findHook(state, params[0]!, params[1]!);
      if ('status' in hook) return hook;
      const message = state.messages.get(params[2]!);
      if (!message) return notFound('Unknown Message', 10008);
      Object.assign(message, body.json, { edited_timestamp: new Date().toISOString() });
      return ok(message);
    },
  },
  { method: 'DELETE', pattern: /^\/webhooks\/(\d+)\/([^/]+)$/, handle: ({ state, params }) => (state.webhooks.delete(params[0]!), noContent) },
];
