import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';
import { CouncilError } from '../../../core/errors.js';
import type { MeetingSummary } from '../../../core/meetings/meetingView.js';
import type { BotContext } from '../../context.js';
import { callerOf } from '../discord/callerOf.js';

/**
 * Cancels a meeting from Discord, whether it runs here, on another process,
 * is paused, or is interrupted and waiting for its automatic resume: the
 * stored cancel is what counts. Who may do it is the core's decision.
 */
export async function stopMeeting(ctx: BotContext, interaction: ChatInputCommandInteraction | MessageComponentInteraction, meeting: MeetingSummary): Promise<string> {
  if (!['pending', 'running', 'paused', 'interrupted'].includes(meeting.status)) throw new CouncilError('meeting_state', `this meeting is already ${meeting.status}`);
  await ctx.council.meetings.cancel(meeting.id, callerOf(interaction));
  return meeting.status === 'running' ? 'Stopping the meeting…' : `Meeting cancelled (it was ${meeting.status}). The turns so far are kept.`;
}
