import type { Message } from 'discord.js';
import { toUserMessage } from '../../../core/errors.js';
import type { Caller } from '../../../core/memory/scope.js';
import { metrics } from '../../../core/metrics.js';
import type { BotContext } from '../../context.js';
import { countRefusal, isRefusal } from '../guards/refusals.js';

const open = new Set(['pending', 'running', 'paused', 'interrupted']);

/**
 * A person's post in a meeting thread is said in the meeting: stored in its
 * inbox (the runner, on whichever process, makes it a turn before its next
 * one, so a post during a model call is never lost). Someone the place's
 * settings do not let use Council is not heard, quietly. True when the
 * message belonged to a meeting, whatever became of it.
 */
export async function forwardToMeeting(message: Message<true>, ctx: BotContext, caller: Caller): Promise<boolean> {
  if (!message.channel.isThread()) return false;
  const meeting = await ctx.council.meetings.inThread(message.channel.id);
  if (!meeting || !open.has(meeting.status)) return false;
  const text = message.content.trim();
  if (!text) return true;
  try {
    await ctx.council.settings.admit(caller);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    countRefusal(error.details.refusal);
    return true;
  }
  try {
    await ctx.council.meetings.post(meeting.id, text, caller, { externalId: message.id });
    metrics.discordCommands.inc({ command: 'meeting_message', outcome: 'ok' });
  } catch (error) {
    metrics.discordCommands.inc({ command: 'meeting_message', outcome: 'rejected' });
    await message.reply({ content: `⚠️ ${toUserMessage(error)}`.slice(0, 2000), allowedMentions: { parse: [] } }).catch(() => {});
  }
  return true;
}
