import type { ThreadChannel } from 'discord.js';
import { toUserMessage } from '../../core/errors.js';
import type { BotContext } from '../context.js';
import { runMeetingInThread } from '../functions/meetings/runMeetingInThread.js';

/**
 * Resumes, in their threads, meetings that stopped with a process (marked
 * interrupted by a graceful stop, or found stale), unless already running here.
 */
export async function resumeMeetings(ctx: BotContext): Promise<number> {
  await ctx.council.recoverStaleMeetings();
  let resumed = 0;
  for (const meeting of await ctx.council.resumableMeetings()) {
    if (!meeting.discordThreadId || ctx.running.has(meeting.id)) continue;
    const thread = (await ctx.client.channels.fetch(meeting.discordThreadId).catch(() => null)) as ThreadChannel | null;
    if (!thread?.isThread()) continue;
    resumed++;
    void runMeetingInThread(ctx, meeting.id, thread, true).catch((error: unknown) => ctx.log.error({ meetingId: meeting.id, err: toUserMessage(error) }, 'resume failed'));
  }
  return resumed;
}
