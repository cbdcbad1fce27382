import type { RouteResult } from '../rest/route.js';

/** Discord's error bodies: `{ code, message }`, and for bad payloads `errors` keyed by field path. */
export const discordError = (status: number, code: number, message: string): RouteResult => ({ status, body: { message, code } });

export const unknownGuild = () => discordError(404, 10004, 'Unknown Guild');
export const unknownChannel = () => discordError(404, 10003, 'Unknown Channel');
export const unknownMessage = () => discordError(404, 10008, 'Unknown Message');
export const unknownWebhook = () => discordError(404, 10015, 'Unknown Webhook');
export const unknownInteraction = () => discordError(404, 10062, 'Unknown interaction');
export const maxWebhooks = () => discordError(400, 30007, 'Maximum number of webhooks reached (15)');
export const forumNoMessages = () => discordError(400, 40058, 'Cannot send messages in a forum channel');
export const alreadyAcknowledged = () => discordError(400, 40060, 'Interaction has already been acknowledged.');
export const missingAccess = () => discordError(403, 50001, 'Missing Access');
export const emptyMessage = () => discordError(400, 50006, 'Cannot send an empty message');
export const notAuthor = () => discordError(403, 50005, 'Cannot edit a message authored by another user');
export const wrongChannelType = () => discordError(400, 50024, 'Cannot execute action on this channel type');
export const missingPermissions = () => discordError(403, 50013, 'Missing Permissions');
export const invalidWebhookToken = () => discordError(401, 50027, 'Invalid Webhook Token');
export const archivedThread = () => discordError(400, 50083, 'Thread is archived');
export const replyNeedsHistory = () => discordError(400, 160002, 'Cannot reply without permission to read message history');
export const threadLocked = () => discordError(403, 160005, 'Thread is locked');
export const forumNeedsThread = () => discordError(400, 220001, 'Webhooks posted to forum channels must have a thread_name or thread_id');

export interface FieldError {
  path: Array<string | number>;
  code: string;
  message: string;
}

/** 50035 with Discord's nested `errors` object: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export function invalidFormBody(problems: FieldError[]): RouteResult {
  const errors: Record<string, unknown> = {};
  for (const problem of problems) {
    let node = errors;
    for (const key of problem.path) node = (node[String(key)] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as unknown[]).push({ code: problem.code, message: problem.message });
  }
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors } };
}
