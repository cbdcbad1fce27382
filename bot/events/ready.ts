import type { ThreadChannel } from 'discord.js';
import type { BotContext } from '../context.js';
import { runMeetingInThread } from '../functions/meetings/runMeetingInThread.js';

/**
 * Takes over, in their threads, meetings nobody holds that should run: their
 * runner died (lease expired) or they stopped resumable and their backoff is
 * due. The database reserves each for one process; the lease then decides.
 */
export async function resumeMeetings(ctx: BotContext): Promise<number> {
  let resumed = 0;
  for (const meeting of await ctx.council.meetings.reserveTakeovers((m) => Boolean(m.discordThreadId))) {
    // A thread that is gone leaves the reservation to expire: the backoff tries again later, then gives up.
    const thread = (await ctx.client.channels.fetch(meeting.discordThreadId!).catch(() => null)) as ThreadChannel | null;
    if (!thread?.isThread() || !ctx.guilds.allows(thread.guildId)) continue;
    resumed++;
    runMeetingInThread(ctx, meeting.id, thread, true);
  }
  return resumed;
}
