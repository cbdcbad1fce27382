/** A gateway dispatch as discord.js hands it over raw (Events.Raw): type and payload. */
export interface Dispatch {
  t?: string | null;
  d?: unknown;
}

interface ThreadPayload {
  id?: string;
  last_message_id?: string | null;
  thread_metadata?: { archived?: boolean; archive_timestamp?: string; auto_archive_duration?: number };
}

const discordEpoch = 1420070400000n;

/** Why a meeting's thread went, as logged, audited and shown. */
export const removalReasons = {
  threadDeleted: 'a moderator deleted the meeting thread',
  threadArchived: 'a moderator archived the meeting thread',
  channelDeleted: 'a moderator deleted the channel of the meeting thread',
} as const;

/**
 * Discord archives a thread by itself after `auto_archive_duration` minutes
 * without a message; that is no one's decision (a long pause), and the
 * meeting's next post reopens it. Told apart by the time since the last message.
 */
export function archivedForInactivity(thread: ThreadPayload): boolean {
  const meta = thread.thread_metadata;
  if (!meta?.archive_timestamp || !meta.auto_archive_duration || !thread.last_message_id || !/^\d+$/.test(thread.last_message_id)) return false;
  const lastMessageAt = Number((BigInt(thread.last_message_id) >> 22n) + discordEpoch);
  return Date.parse(meta.archive_timestamp) - lastMessageAt >= (meta.auto_archive_duration - 1) * 60_000;
}

interface ThreadWatch {
  parentId: string | null;
  onGone: (reason: string) => void;
}

/**
 * What moderators remove while Council is using it: a message it is still
 * streaming into, a meeting's thread. Read from the raw gateway dispatches,
 * so a message that is not in discord.js's cache is seen too. Council never
 * deletes its own answers nor archives a thread a meeting runs in, so a
 * removal seen here is someone else's.
 */
export class Removals {
  private readonly messages = new Map<string, () => void>();
  private readonly threads = new Map<string, ThreadWatch>();

  /** Calls `onRemoved` once if the message is deleted before the returned function is called. */
  watchMessage = (messageId: string, onRemoved: () => void): (() => void) => {
    this.messages.set(messageId, onRemoved);
    return () => {
      if (this.messages.get(messageId) === onRemoved) this.messages.delete(messageId);
    };
  };

  /** Calls `onGone` with why, once, if the thread (or its channel) is deleted or the thread archived. */
  watchThread(threadId: string, parentId: string | null, onGone: (reason: string) => void): () => void {
    const watch: ThreadWatch = { parentId, onGone };
    this.threads.set(threadId, watch);
    return () => {
      if (this.threads.get(threadId) === watch) this.threads.delete(threadId);
    };
  }

  /** Every deleted message id this dispatch names, whether or not it was watched. */
  onDispatch(dispatch: Dispatch): string[] {
    const d = (dispatch.d ?? {}) as ThreadPayload & { ids?: string[] };
    switch (dispatch.t) {
      case 'MESSAGE_DELETE':
        return this.messagesGone(d.id ? [d.id] : []);
      case 'MESSAGE_DELETE_BULK':
        return this.messagesGone(d.ids ?? []);
      case 'THREAD_DELETE':
        if (d.id) this.threadGone(d.id, removalReasons.threadDeleted);
        return [];
      case 'THREAD_UPDATE':
        if (d.id && d.thread_metadata?.archived && !archivedForInactivity(d)) this.threadGone(d.id, removalReasons.threadArchived);
        return [];
      case 'CHANNEL_DELETE':
        for (const [threadId, watch] of [...this.threads]) if (watch.parentId === d.id) this.threadGone(threadId, removalReasons.channelDeleted);
        return [];
      default:
        return [];
    }
  }

  private messagesGone(ids: string[]): string[] {
    for (const id of ids) {
      const onRemoved = this.messages.get(id);
      this.messages.delete(id);
      onRemoved?.();
    }
    return ids;
  }

  private threadGone(threadId: string, reason: string): void {
    const watch = this.threads.get(threadId);
    this.threads.delete(threadId);
    watch?.onGone(reason);
  }
}
