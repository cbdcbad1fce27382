import postgres from 'postgres';
import { postgresOptions } from '../../db/postgresOptions.js';
import type { Logger } from '../../log.js';
import { metrics } from '../../metrics.js';
import { ownTask } from '../../tasks/ownTask.js';
import { LocalMeetingSignals, type MeetingSignal, type MeetingSignals } from './meetingSignals.js';

const channel = 'council_meetings';

/**
 * Meeting signals across every process on one Postgres: NOTIFY on one channel,
 * each process LISTENs on its own connection and hands the signal to its local
 * subscribers. A process receives its own notifications too, so publish does
 * not also deliver locally. postgres.js re-listens after a reconnect; a
 * signal sent while a listener was disconnected is lost, which only delays the
 * action: runners and followers also re-read the stored row on a timer.
 */
export class PostgresMeetingSignals implements MeetingSignals {
  private readonly local = new LocalMeetingSignals();
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(
    private readonly client: postgres.Sql,
    private readonly log: Logger,
  ) {}

  static async open(url: string, log: Logger): Promise<PostgresMeetingSignals> {
    const client = postgres(url, { ...postgresOptions, max: 2 });
    const signals = new PostgresMeetingSignals(client, log);
    try {
      const listening = await client.listen(channel, (payload) => signals.receive(payload), () => log.debug('listening for meeting signals'));
      signals.unlisten = listening.unlisten;
    } catch (error) {
      await client.end({ timeout: 1 }).catch(() => {});
      throw error;
    }
    return signals;
  }

  async publish(meetingId: string, signal: MeetingSignal): Promise<void> {
    await this.client.notify(channel, JSON.stringify({ meetingId, signal }));
  }

  subscribe(meetingId: string, listener: (signal: MeetingSignal) => void): () => void {
    return this.local.subscribe(meetingId, listener);
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {});
    await this.local.close();
    await this.client.end({ timeout: 2 }).catch(() => {});
  }

  private receive(payload: string): void {
    try {
      const { meetingId, signal } = JSON.parse(payload) as { meetingId: string; signal: MeetingSignal };
      void ownTask(this.log, 'meeting-signal', () => this.local.publish(meetingId, signal));
    } catch (error) {
      metrics.backgroundFailures.inc({ task: 'meeting-signal' });
      this.log.warn({ err: (error as Error).message }, 'ignored a malformed meeting signal');
    }
  }
}
