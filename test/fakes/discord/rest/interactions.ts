import { noContent, notFound, ok, type Route } from './route.js';


/** Interaction callbacks and the interaction webhook (original response and follow-ups). */
export const interactionRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
    handle: ({ state, params, body, query }) => {
      const data = (body.json.data ?? {}) as Record<string, unknown>;
      const type = Number(body.json.type);
      let original;
      if (type === 4 || type === 5) {
        original = state.addMessage('0', state.bot, data);
        original.interaction_token = params[1];
        original.ephemeral = (Number(data.flags ?? 0) & 64) === 64;
        original.deferred = type === 5;
      }
      if (query.get('with_response') !== 'true') return noContent;
      return ok({ interaction: { id: params[0], type: 2, activity_instance_id: null, response_message_id: original?.id ?? null, response_message_loading: type === 5, response_message_ephemeral: Boolean(original?.ephemeral) }, resource: { type, ...(original ? { message: original } : {}) } });
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
    handle: ({ state, params, body }) => {
      const original = [...state.messages.values()].find((m) => m.interaction_token === params[1]);
      if (!original) return notFound('Unknown interaction', 10062);
      Object.assign(original, body.json, { edited_timestamp: new Date().toISOString() });
      return ok(original);
    },
  },
  {
    method: 'GET',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
    handle: ({ state, params }) => {
      const original = [...state.messages.values()].find((m) => m.interaction_token === params[1]);
      return original ? ok(original) : notFound('Unknown interaction', 10062);
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
    handle: () => noContent,
  },
  {
    method: 'POST',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)$/,
    handle: ({ state, params, body }) => {
      if (params[0] !== state.appId) return null;
      const message = state.addMessage('0', state.bot, body.json);
      message.interaction_token = `${params[1]}:followup`;
      return ok(message);
    },
  },
];
