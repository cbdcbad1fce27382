import postgres from 'postgres';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { BackgroundTask } from '../tasks/backgroundTasks.js';
import { postgresOptions } from './postgresOptions.js';

export interface PostgresChannelOptions<T> {
  url: string;
  /** The NOTIFY channel name; one per kind of signal. */
  name: string;
  log: Logger;
  /** Counted under council_background_failures_total when a payload is malformed or delivery throws. */
  task: BackgroundTask;
  /** Returns null for a payload this version does not understand (another version's process may share the database). */
  parse(value: unknown): T | null;
  deliver(message: T): Promise<void> | void;
}

/**
 * One signal channel across every process on one Postgres: NOTIFY to send,
 * LISTEN on a connection of its own to receive. A process hears its own
 * notifications, so callers must not also deliver locally. postgres.js listens
 * again after a reconnect; a signal sent meanwhile is lost, so a signal may
 * only ever say "read the stored row again", never carry the only copy of a
 * change.
 */
export class PostgresChannel<T> {
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(
    private readonly client: postgres.Sql,
    private readonly options: PostgresChannelOptions<T>,
  ) {}

  static async open<T>(options: PostgresChannelOptions<T>): Promise<PostgresChannel<T>> {
    const client = postgres(options.url, { ...postgresOptions, max: 1 });
    const channel = new PostgresChannel(client, options);
    try {
      const listening = await client.listen(options.name, (payload) => channel.receive(payload), () => options.log.debug({ channel: options.name }, 'listening'));
      channel.unlisten = listening.unlisten;
    } catch (error) {
      await client.end({ timeout: 1 }).catch(() => {});
      throw error;
    }
    return channel;
  }

  async notify(message: T): Promise<void> {
    await this.client.notify(this.options.name, JSON.stringify(message));
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {});
    await this.client.end({ timeout: 2 }).catch(() => {});
  }

  private receive(payload: string): void {
    const { log, name, task } = this.options;
    let message: T | null;
    try {
      message = this.options.parse(JSON.parse(payload));
    } catch {
      message = null;
    }
    if (message === null) {
      metrics.backgroundFailures.inc({ task });
      log.warn({ channel: name }, 'ignored a malformed signal');
      return;
    }
    // A listener that throws, at once or later, is counted here: the signal is this channel's to own.
    void Promise.resolve()
      .then(() => this.options.deliver(message))
      .catch((error: unknown) => {
        metrics.backgroundFailures.inc({ task });
        log.warn({ channel: name, err: (error as Error).message }, 'a signal listener failed');
      });
  }
}
