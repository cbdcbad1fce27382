import type { ThreadChannel } from 'discord.js';
import type { Logger } from '../../../core/log.js';
import { noteDiscordError } from '../discord/discordErrors.js';

/**
 * The gateway tells the bot of a moderator's archive after the fact, and a
 * post that crossed it reopened the thread (Discord unarchives a thread for
 * a new message). Once the meeting has stopped, the thread is archived again
 * when the last word in it is Council's; a person who reopened it and spoke
 * since is left alone. Archiving needs Manage Threads, which the invite does
 * not ask for: without it the refusal is logged and counted, and the thread
 * stays open. Never rejects.
 */
export async function restoreArchive(log: Logger, thread: ThreadChannel, meetingId: string): Promise<boolean> {
  try {
    const now = await thread.fetch(true);
    if (now.archived || !now.lastMessageId) return false;
    const last = await now.messages.fetch(now.lastMessageId);
    if (!last.webhookId && last.author.id !== now.client.user.id) {
      log.info({ meetingId, thread: thread.id }, 'a meeting thread a moderator archived is open again and a person spoke in it since: left open');
      return false;
    }
    await now.setArchived(true, 'A moderator archived this meeting thread; a post that crossed it had reopened it.');
    log.info({ meetingId, thread: thread.id }, 'a meeting post crossed a moderator archiving its thread and reopened it: archived again');
    return true;
  } catch (error) {
    noteDiscordError(log, 'thread re-archive', error, { meetingId });
    return false;
  }
}
