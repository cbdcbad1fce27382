import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { PostgresChannel } from '../db/postgresChannel.js';
import type { Logger } from '../log.js';

/**
 * "Read queued approval `id` again", across every process on one Postgres:
 * a new question for the bots, an answer or a cancellation for the other
 * side. The row is written first; a lost signal only waits for the next poll.
 */
export class ApprovalSignals {
  private readonly local = new EventEmitter().setMaxListeners(0);

  private constructor(private readonly channel: PostgresChannel<{ id: string }>) {}

  static async open(url: string, log: Logger): Promise<ApprovalSignals> {
    let signals: ApprovalSignals | undefined;
    const channel = await PostgresChannel.open<{ id: string }>({
      url,
      name: 'council_tool_approvals',
      log,
      task: 'tool-approval-signal',
      parse: (value) => z.object({ id: z.string() }).safeParse(value).data ?? null,
      deliver: ({ id }) => {
        signals?.local.emit('signal', id);
      },
    });
    signals = new ApprovalSignals(channel);
    return signals;
  }

  publish(id: string): Promise<void> {
    return this.channel.notify({ id });
  }

  /** Hears every id signalled (its own too); returns the unsubscribe function. Listeners must not throw. */
  subscribe(listener: (id: string) => void): () => void {
    this.local.on('signal', listener);
    return () => this.local.off('signal', listener);
  }

  async close(): Promise<void> {
    await this.channel.close();
    this.local.removeAllListeners();
  }
}
