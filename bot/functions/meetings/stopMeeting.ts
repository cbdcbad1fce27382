import { PermissionFlagsBits, type ChatInputCommandInteraction, type MessageComponentInteraction } from 'discord.js';
import { CouncilError } from '../../../core/errors.js';
import type { MeetingSummary } from '../../../core/meetings/meetingView.js';
import type { BotContext } from '../../context.js';

/** Who may stop, pause or cancel a meeting: the person who asked for it, or members who may manage threads. */
export function mayControlMeeting(interaction: ChatInputCommandInteraction | MessageComponentInteraction, meeting: Pick<MeetingSummary, 'requestedBy' | 'ownerId'>): boolean {
  const user = interaction.user.id;
  if (meeting.requestedBy === user || meeting.ownerId === `discord:${user}`) return true;
  return Boolean(interaction.memberPermissions?.has(PermissionFlagsBits.ManageThreads));
}

/**
 * Cancels a meeting from Discord, whether it runs here, on another process,
 * is paused, or is interrupted and waiting for its automatic resume: the
 * stored cancel is what counts; the local abort only stops the model call now.
 */
export async function stopMeeting(ctx: BotContext, interaction: ChatInputCommandInteraction | MessageComponentInteraction, meeting: MeetingSummary): Promise<string> {
  if (!mayControlMeeting(interaction, meeting)) throw new CouncilError('forbidden', 'only the person who started this meeting, or members with Manage Threads, can stop it');
  if (!['pending', 'running', 'paused', 'interrupted'].includes(meeting.status)) throw new CouncilError('meeting_state', `this meeting is already ${meeting.status}`);
  await ctx.council.cancelMeeting(meeting.id);
  ctx.running.get(meeting.id)?.cancel.abort();
  return meeting.status === 'running' ? 'Stopping the meeting…' : `Meeting cancelled (it was ${meeting.status}). The turns so far are kept.`;
}
