import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';
import type { Logger } from '../../../core/log.js';
import { exportAtZero, metrics } from '../../../core/metrics.js';

/** Discord's JSON error code, else the HTTP status, else 'network': the label errors are counted under. */
export function discordCode(error: unknown): string {
  if (error instanceof DiscordAPIError) return String(error.code || error.status);
  if (error instanceof HTTPError) return String(error.status);
  return 'network';
}

export const codes = RESTJSONErrorCodes;

const goneCodes = [codes.UnknownMessage, codes.UnknownWebhook];
const blockedCodes = [codes.MissingAccess, codes.MissingPermissions, codes.ThreadLocked, codes.UnknownChannel, codes.InvalidActionOnArchivedThread, codes.CannotSendMessagesInNonTextChannel, codes.CannotReplyWithoutPermissionToReadMessageHistory];
const expiredCodes = [codes.InvalidWebhookToken, codes.UnknownInteraction, codes.InteractionHasAlreadyBeenAcknowledged];

/**
 * The codes the bot acts on by name, and `network`: exported at 0 with the
 * bot, so DiscordErrorsBurst counts their first burst. Discord has hundreds
 * of codes; any other one's series starts with its first failure, which the
 * alert also matches.
 */
export const namedDiscordCodes = [...new Set([...goneCodes, ...blockedCodes, ...expiredCodes, codes.MaximumNumberOfWebhooksReached])].map(String).concat('network');
exportAtZero(metrics.discordErrors, { code: namedDiscordCodes });

const is = (error: unknown, ...wanted: number[]) => error instanceof DiscordAPIError && wanted.includes(Number(error.code));

/** The message or webhook we were writing to is gone. */
export const isGone = (error: unknown) => is(error, ...goneCodes);

/** The message was deleted (by someone else: Council deletes none of its answers). */
export const isDeletedMessage = (error: unknown) => is(error, codes.UnknownMessage);

/** Nothing more can be posted here until someone changes the channel (permissions, lock, deletion). */
export const isBlocked = (error: unknown) => is(error, ...blockedCodes);

/** The interaction token is over (15 minutes) or the interaction was never acknowledged in time. */
export const isExpiredInteraction = (error: unknown) => is(error, ...expiredCodes);

/** One line a person can act on, for the errors a channel owner can fix. */
export function describeDiscordError(error: unknown): string {
  if (is(error, codes.MissingPermissions)) return 'I lack a permission I need here (Send Messages, Send Messages in Threads, Embed Links, Attach Files or Create Public Threads); ask an admin to grant it in the channel settings';
  if (is(error, codes.MissingAccess)) return 'I cannot see this channel; ask an admin to give me View Channel here';
  if (is(error, codes.ThreadLocked)) return 'this thread is locked; a moderator has to unlock it before I can post';
  if (is(error, codes.InvalidActionOnArchivedThread)) return 'this thread is archived; send a message in it to reopen it';
  if (is(error, codes.MaximumNumberOfWebhooksReached)) return 'this channel already has 15 webhooks, Discord\'s maximum; delete one in Channel Settings → Integrations so colleagues can speak under their own names';
  if (is(error, codes.UnknownChannel)) return 'the channel or thread is gone';
  return `Discord refused the request (${discordCode(error)})`;
}

/** Counts and logs a failed Discord call once; callers decide what to do next. */
export function noteDiscordError(log: Logger, operation: string, error: unknown, fields: Record<string, unknown> = {}): void {
  const code = discordCode(error);
  metrics.discordErrors.inc({ code });
  log.warn({ operation, code, err: (error as Error)?.message?.split('\n', 1)[0], ...fields }, `discord ${operation} failed`);
}
