import { ChannelType, type ChatInputCommandInteraction, type MessageComponentInteraction, type ThreadChannel } from 'discord.js';
import { CouncilError } from '../../../core/errors.js';
import type { MeetingSummary } from '../../../core/meetings/meetingView.js';
import { ownTask } from '../../../core/tasks/ownTask.js';
import type { BotContext } from '../../context.js';
import { runMeetingInThread } from './runMeetingInThread.js';
import { mayControlMeeting } from './stopMeeting.js';

type Asker = ChatInputCommandInteraction | MessageComponentInteraction;

function allowed(interaction: Asker, meeting: MeetingSummary, verb: string): void {
  if (!mayControlMeeting(interaction, meeting)) throw new CouncilError('forbidden', `only the person who started this meeting, or members with Manage Threads, can ${verb} it`);
}

/** Pause from Discord: stored, so the runner stops before its next turn on whichever process holds it. */
export async function pauseFromDiscord(ctx: BotContext, interaction: Asker, meeting: MeetingSummary): Promise<string> {
  allowed(interaction, meeting, 'pause');
  await ctx.council.pauseMeeting(meeting.id);
  return 'Pausing after the turn in progress. Resume with /meeting resume or the Resume button.';
}

/** Resume from Discord; when no process holds the meeting any more (a restart), this one runs it in its thread. */
export async function resumeFromDiscord(ctx: BotContext, interaction: Asker, meeting: MeetingSummary): Promise<string> {
  allowed(interaction, meeting, 'resume');
  const { needsRunner } = await ctx.council.resumeMeeting(meeting.id);
  if (!needsRunner || ctx.running.has(meeting.id)) return 'Resuming where it paused.';
  const thread = meeting.discordThreadId ? await ctx.client.channels.fetch(meeting.discordThreadId).catch(() => null) : null;
  if (!thread || (thread.type !== ChannelType.PublicThread && thread.type !== ChannelType.PrivateThread)) throw new CouncilError('bad_usage', 'the meeting thread is gone; resume it with council meeting resume <id>');
  void ownTask(ctx.log, 'meeting-in-thread', () => runMeetingInThread(ctx, meeting.id, thread as ThreadChannel, true));
  return 'Resuming where it stopped.';
}
