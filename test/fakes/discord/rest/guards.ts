import type { ParsedBody } from '../readBody.js';
import * as err from '../rules/errors.js';
import { messageProblems } from '../rules/limits.js';
import { channelTypes, type FakeChannel, type FakeDiscordState } from '../state.js';
import type { RouteResult } from './route.js';

/** A body that shows nothing at all is refused (50006). */
export function isEmpty(body: ParsedBody): boolean {
  const json = body.json;
  return !json.content && !(Array.isArray(json.embeds) && json.embeds.length > 0) && body.files.length === 0 && !(Array.isArray(json.components) && json.components.length > 0) && !json.message_reference;
}

/** Limits of content and embeds, for creates and edits alike. */
export function payloadRefusal(body: ParsedBody): RouteResult | null {
  const problems = messageProblems(body.json);
  return problems.length > 0 ? err.invalidFormBody(problems) : null;
}

/**
 * Where a message may go: a locked thread refuses (160005), an archived one
 * is unarchived by the new message (as Discord does), and a forum channel
 * takes no messages of its own.
 */
export function threadRefusal(state: FakeDiscordState, channel: FakeChannel, asBot: boolean): RouteResult | null {
  if (channel.type === channelTypes.forum) return err.forumNoMessages();
  const meta = channel.thread_metadata;
  if (!meta) return null;
  if (meta.locked && !(asBot && state.botCan(channel.id, 'ManageThreads'))) return err.threadLocked();
  if (meta.archived) meta.archived = false;
  return null;
}

/** The bot posting in a channel: access, the right send permission, embeds, files, replies. */
export function botPostRefusal(state: FakeDiscordState, channel: FakeChannel, body: ParsedBody): RouteResult | null {
  if (!state.botCan(channel.id, 'ViewChannel')) return err.missingAccess();
  const send = channel.thread_metadata ? 'SendMessagesInThreads' : 'SendMessages';
  if (!state.botCan(channel.id, send)) return err.missingPermissions();
  if (Array.isArray(body.json.embeds) && body.json.embeds.length > 0 && !state.botCan(channel.id, 'EmbedLinks')) return err.missingPermissions();
  if (body.files.length > 0 && !state.botCan(channel.id, 'AttachFiles')) return err.missingPermissions();
  if (body.json.message_reference && !state.botCan(channel.id, 'ReadMessageHistory')) return err.replyNeedsHistory();
  return null;
}

/** Editing in an archived thread is refused until someone unarchives it (50083). */
export function editRefusal(state: FakeDiscordState, channelId: string): RouteResult | null {
  const channel = state.channels.get(channelId);
  return channel?.thread_metadata?.archived ? err.archivedThread() : null;
}
