import * as err from '../rules/errors.js';
import { webhookNameProblems } from '../rules/limits.js';
import { snowflake } from '../snowflake.js';
import { channelTypes, type FakeDiscordState, type FakeMessage, type FakeWebhook } from '../state.js';
import { editRefusal, isEmpty, payloadRefusal, threadRefusal } from './guards.js';
import { noContent, ok, type Route, type RouteResult } from './route.js';

/** Discord's per-channel webhook cap. */
export const maxWebhooksPerChannel = 15;

const webhookPayload = (state: FakeDiscordState, hook: FakeWebhook) => ({
  id: hook.id,
  type: 1,
  token: hook.token,
  channel_id: hook.channel_id,
  guild_id: state.channels.get(hook.channel_id)?.guild_id ?? state.guildId,
  name: hook.name,
  avatar: null,
  application_id: state.appId,
  user: hook.owner,
});

function findHook(state: FakeDiscordState, id: string, token: string): FakeWebhook | RouteResult {
  const hook = state.webhooks.get(id);
  return hook && hook.token === token ? hook : err.unknownWebhook();
}

/** The webhook's own message, found only in the channel the request names (thread_id for threads), as on Discord. */
function hookMessage(state: FakeDiscordState, hook: FakeWebhook, messageId: string, threadId: string | null): FakeMessage | RouteResult {
  const message = state.messages.get(messageId);
  if (!message || message.webhook_id !== hook.id || message.channel_id !== (threadId ?? hook.channel_id)) return err.unknownMessage();
  return message;
}

export const webhookRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/channels\/(\d+)\/webhooks$/,
    handle: ({ state, params, body }) => {
      const channel = state.channels.get(params[0]!);
      if (!channel) return err.unknownChannel();
      // Webhooks belong to a text or forum channel; a thread is reached through its parent's webhook with thread_id.
      if (channel.type !== channelTypes.text && channel.type !== channelTypes.forum) return err.wrongChannelType();
      if (!state.botCan(channel.id, 'ViewChannel')) return err.missingAccess();
      if (!state.botCan(channel.id, 'ManageWebhooks')) return err.missingPermissions();
      const problems = webhookNameProblems('name', body.json.name ?? '');
      if (problems.length > 0) return err.invalidFormBody(problems);
      if ([...state.webhooks.values()].filter((h) => h.channel_id === channel.id).length >= maxWebhooksPerChannel) return err.maxWebhooks();
      const hook: FakeWebhook = { id: snowflake(), token: `tok${snowflake()}`, channel_id: channel.id, name: String(body.json.name), owner: state.bot };
      state.webhooks.set(hook.id, hook);
      return ok(webhookPayload(state, hook));
    },
  },
  {
    method: 'GET',
    pattern: /^\/channels\/(\d+)\/webhooks$/,
    handle: ({ state, params }) => {
      const channel = state.channels.get(params[0]!);
      if (!channel) return err.unknownChannel();
      if (channel.type !== channelTypes.text && channel.type !== channelTypes.forum) return err.wrongChannelType();
      if (!state.botCan(channel.id, 'ManageWebhooks')) return err.missingPermissions();
      return ok([...state.webhooks.values()].filter((h) => h.channel_id === params[0]).map((h) => webhookPayload(state, h)));
    },
  },
  {
    method: 'POST',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)$/,
    handle: ({ state, params, body, query, gateway }) => {
      const hook = findHook(state, params[0]!, params[1]!);
      if ('status' in hook) return hook;
      const threadId = query.get('thread_id');
      const home = state.channels.get(hook.channel_id);
      if (!home) return err.unknownWebhook();
      if (!threadId && home.type === channelTypes.forum) return err.forumNeedsThread();
      const target = threadId ? state.channels.get(threadId) : home;
      if (!target || (threadId && target.parent_id !== hook.channel_id)) return err.unknownChannel();
      const problems = webhookNameProblems('username', body.json.username);
      const refused = (problems.length > 0 ? err.invalidFormBody(problems) : null) ?? payloadRefusal(body) ?? (isEmpty(body) ? err.emptyMessage() : null) ?? threadRefusal(state, target, false);
      if (refused) return refused;
      const author = { id: hook.id, username: String(body.json.username ?? hook.name), global_name: null, discriminator: '0000', avatar: null, bot: true };
      const message = state.addMessage(target.id, author, { ...body.json, attachments: body.files.map((f, i) => ({ id: String(i), filename: f.name, size: f.content.length, url: `https://cdn.invalid/${f.name}`, proxy_url: `https://cdn.invalid/${f.name}` })) }, hook.id);
      message.avatar_url = body.json.avatar_url;
      message.allowed_mentions = body.json.allowed_mentions;
      gateway.dispatch('MESSAGE_CREATE', message);
      return query.get('wait') === 'true' ? ok(message) : noContent;
    },
  },
  {
    method: 'GET',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/,
    handle: ({ state, params, query }) => {
      const hook = findHook(state, params[0]!, params[1]!);
      if ('status' in hook) return hook;
      const message = hookMessage(state, hook, params[2]!, query.get('thread_id'));
      return 'status' in message ? (message as RouteResult) : ok(message);
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/,
    handle: ({ state, params, body, query }) => {
      const hook = findHook(state, params[0]!, params[1]!);
      if ('status' in hook) return hook;
      const message = hookMessage(state, hook, params[2]!, query.get('thread_id'));
      if ('status' in message) return message as RouteResult;
      const refused = payloadRefusal(body) ?? editRefusal(state, message.channel_id);
      if (refused) return refused;
      Object.assign(message, body.json, { edited_timestamp: new Date().toISOString() });
      return ok(message);
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/,
    handle: ({ state, params, query }) => {
      const hook = findHook(state, params[0]!, params[1]!);
      if ('status' in hook) return hook;
      const message = hookMessage(state, hook, params[2]!, query.get('thread_id'));
      if ('status' in message) return message as RouteResult;
      state.messages.delete(message.id);
      return noContent;
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)$/,
    handle: ({ state, params }) => {
      const hook = findHook(state, params[0]!, params[1]!);
      if ('status' in hook) return hook;
      state.webhooks.delete(hook.id);
      return noContent;
    },
  },
];
