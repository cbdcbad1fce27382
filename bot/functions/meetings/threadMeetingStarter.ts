import type { ThreadChannel } from 'discord.js';
import type { MeetingStarter } from '../../../core/meetings/coordination/superviseMeetings.js';
import { ownTask } from '../../../core/tasks/ownTask.js';
import type { BotContext } from '../../context.js';
import { runMeetingInThread } from './runMeetingInThread.js';

/**
 * What the meeting supervisor hands the bot: meetings held in Discord threads,
 * resumed in their thread. The database reserved each for this process; the
 * lease then decides.
 */
export function threadMeetingStarter(ctx: BotContext): MeetingStarter {
  return {
    accepts: (meeting) => Boolean(meeting.discordThreadId),
    start: (meeting) =>
      void ownTask(ctx.log, 'bot-meeting-supervisor', async () => {
        // A thread that is gone leaves the reservation to expire: the backoff tries again later, then gives up.
        const thread = (await ctx.client.channels.fetch(meeting.discordThreadId!).catch(() => null)) as ThreadChannel | null;
        if (!thread?.isThread() || !ctx.guilds.allows(thread.guildId)) return;
        runMeetingInThread(ctx, meeting.id, thread, true);
      }),
  };
}
