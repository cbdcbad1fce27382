import * as err from '../rules/errors.js';
import { interactionAckMs, interactionTokenMs, type FakeDiscordState, type FakeInteraction } from '../state.js';
import { isEmpty, payloadRefusal } from './guards.js';
import { noContent, ok, type Route, type RouteResult } from './route.js';

/** A live interaction token, or 50027 once its 15 minutes (on the state's clock) are over. */
function liveToken(state: FakeDiscordState, token: string): FakeInteraction | RouteResult {
  const interaction = [...state.interactions.values()].find((i) => i.token === token);
  if (!interaction) return err.unknownWebhook();
  if (state.now() - interaction.createdAt > interactionTokenMs) return err.invalidWebhookToken();
  return interaction;
}

const original = (state: FakeDiscordState, token: string) => [...state.messages.values()].find((m) => m.interaction_token === token);

/**
 * An autocomplete is answered with choices (8) and nothing else, and only it
 * takes them: at most 25, each named in 1 to 100 characters with a value of
 * at most 100 characters.
 */
function autocompleteRefusal(type: number, interactionType: number, data: Record<string, unknown>): RouteResult | null {
  if (type !== 8 || interactionType !== 4) return err.invalidFormBody([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid for this interaction' }]);
  const choices = data.choices;
  if (!Array.isArray(choices)) return err.invalidFormBody([{ path: ['data', 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
  const problems: err.FieldError[] = [];
  if (choices.length > 25) problems.push({ path: ['data', 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  choices.forEach((choice: { name?: unknown; value?: unknown }, i) => {
    if (typeof choice.name !== 'string' || choice.name.length < 1 || choice.name.length > 100) problems.push({ path: ['data', 'choices', i, 'name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    if (typeof choice.value === 'string' ? choice.value.length > 100 : typeof choice.value !== 'number') problems.push({ path: ['data', 'choices', i, 'value'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be 100 or fewer in length.' });
  });
  return problems.length > 0 ? err.invalidFormBody(problems) : null;
}

/** Interaction callbacks and the interaction webhook (original response and follow-ups). */
export const interactionRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
    handle: ({ state, params, body, query }) => {
      const interaction = state.interactions.get(params[0]!);
      if (!interaction || interaction.token !== params[1]) return err.unknownInteraction();
      if (interaction.acknowledged) return err.alreadyAcknowledged();
      // The first response must come within 3 s; after that Discord has already shown "did not respond".
      if (state.now() - interaction.createdAt > interactionAckMs) return err.unknownInteraction();
      const data = (body.json.data ?? {}) as Record<string, unknown>;
      const type = Number(body.json.type);
      if (type === 4 || type === 7) {
        const refused = payloadRefusal({ json: data, files: body.files }) ?? (isEmpty({ json: data, files: body.files }) ? err.emptyMessage() : null);
        if (refused) return refused;
      }
      if (type === 8 || interaction.type === 4) {
        const refused = autocompleteRefusal(type, interaction.type, data);
        if (refused) return refused;
      }
      // UPDATE_MESSAGE answers a component by editing the message it is on, and only a component interaction has one.
      if (type === 7 && !interaction.messageId) return err.unknownInteraction();
      interaction.acknowledged = true;
      // UPDATE_MESSAGE rewrites the message the clicked component is on.
      if (type === 7 && interaction.messageId) {
        const updated = state.messages.get(interaction.messageId);
        if (updated) Object.assign(updated, data, { edited_timestamp: new Date().toISOString() });
      }
      let message;
      if (type === 4 || type === 5) {
        message = state.addMessage('0', state.bot, data);
        message.interaction_token = params[1];
        message.ephemeral = (Number(data.flags ?? 0) & 64) === 64;
        message.deferred = type === 5;
      }
      if (query.get('with_response') !== 'true') return noContent;
      return ok({ interaction: { id: params[0], type: 2, activity_instance_id: null, response_message_id: message?.id ?? null, response_message_loading: type === 5, response_message_ephemeral: Boolean(message?.ephemeral) }, resource: { type, ...(message ? { message } : {}) } });
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
    handle: ({ state, params, body }) => {
      if (params[0] !== state.appId) return err.unknownWebhook();
      const live = liveToken(state, params[1]!);
      if ('status' in live) return live;
      const message = original(state, params[1]!);
      if (!message) return err.unknownMessage();
      const refused = payloadRefusal(body);
      if (refused) return refused;
      Object.assign(message, body.json, { edited_timestamp: new Date().toISOString() });
      return ok(message);
    },
  },
  {
    method: 'GET',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
    handle: ({ state, params }) => {
      const live = liveToken(state, params[1]!);
      if ('status' in live) return live;
      const message = original(state, params[1]!);
      return message ? ok(message) : err.unknownMessage();
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
    handle: ({ state, params }) => {
      const live = liveToken(state, params[1]!);
      return 'status' in live ? live : noContent;
    },
  },
  {
    method: 'POST',
    pattern: /^\/webhooks\/(\d+)\/([^/]+)$/,
    handle: ({ state, params, body }) => {
      if (params[0] !== state.appId) return null;
      const live = liveToken(state, params[1]!);
      if ('status' in live) return live;
      if (!live.acknowledged) return err.unknownWebhook();
      const refused = payloadRefusal(body) ?? (isEmpty(body) ? err.emptyMessage() : null);
      if (refused) return refused;
      const message = state.addMessage('0', state.bot, body.json);
      message.interaction_token = `${params[1]}:followup`;
      return ok(message);
    },
  },
];
