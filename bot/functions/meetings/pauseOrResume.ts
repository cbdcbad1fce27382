import { ChannelType, type ChatInputCommandInteraction, type MessageComponentInteraction, type ThreadChannel } from 'discord.js';
import { CouncilError } from '../../../core/errors.js';
import type { MeetingSummary } from '../../../core/meetings/meetingView.js';
import type { BotContext } from '../../context.js';
import { callerOf } from '../discord/callerOf.js';
import { runMeetingInThread } from './runMeetingInThread.js';

type Asker = ChatInputCommandInteraction | MessageComponentInteraction;

/** Pause from Discord: stored, so the runner stops before its next turn on whichever process holds it. */
export async function pauseFromDiscord(ctx: BotContext, interaction: Asker, meeting: MeetingSummary): Promise<string> {
  await ctx.council.meetings.pause(meeting.id, callerOf(interaction));
  return 'Pausing after the turn in progress. Resume with /meeting resume or the Resume button.';
}

/** Resume from Discord; when no process holds the meeting any more (a restart), this one runs it in its thread. */
export async function resumeFromDiscord(ctx: BotContext, interaction: Asker, meeting: MeetingSummary): Promise<string> {
  const { needsRunner } = await ctx.council.meetings.resume(meeting.id, callerOf(interaction));
  if (!needsRunner || ctx.council.meetings.runner.has(meeting.id)) return 'Resuming where it paused.';
  const thread = meeting.discordThreadId ? await ctx.client.channels.fetch(meeting.discordThreadId).catch(() => null) : null;
  if (!thread || (thread.type !== ChannelType.PublicThread && thread.type !== ChannelType.PrivateThread)) throw new CouncilError('bad_usage', 'the meeting thread is gone; resume it with council meeting resume <id>');
  runMeetingInThread(ctx, meeting.id, thread as ThreadChannel, true);
  return 'Resuming where it stopped.';
}
