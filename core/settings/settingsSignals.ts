import { EventEmitter } from 'node:events';
import postgres from 'postgres';
import { postgresOptions } from '../db/postgresOptions.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { SettingScope } from './settingsSchema.js';

/** A place whose settings changed; the row is stored first, the signal only says "read it again". */
export interface SettingsChange {
  scope: SettingScope;
  id: string;
}

/** Tells every process that a place's settings changed: on Postgres across processes (LISTEN/NOTIFY), on PGlite within the process. */
export interface SettingsSignals {
  publish(change: SettingsChange): Promise<void>;
  /** Returns the unsubscribe function. Listeners must not throw. */
  subscribe(listener: (change: SettingsChange) => void): () => void;
  close(): Promise<void>;
}

export class LocalSettingsSignals implements SettingsSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(change: SettingsChange): Promise<void> {
    this.emitter.emit('change', change);
  }

  subscribe(listener: (change: SettingsChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

const channel = 'council_settings';

/**
 * Settings changes across every process on one Postgres, as meeting signals
 * travel (core/meetings/coordination/meetingSignalsPostgres.ts): NOTIFY on
 * one channel, each process LISTENs on its own connection. A process hears
 * its own notifications, so publish does not also deliver locally. A signal
 * lost while a listener reconnects only delays the change: cached settings
 * are read again after a short while anyway (SettingsService).
 */
export class PostgresSettingsSignals implements SettingsSignals {
  private readonly local = new LocalSettingsSignals();
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(
    private readonly client: postgres.Sql,
    private readonly log: Logger,
  ) {}

  static async open(url: string, log: Logger): Promise<PostgresSettingsSignals> {
    const client = postgres(url, { ...postgresOptions, max: 1 });
    const signals = new PostgresSettingsSignals(client, log);
    try {
      const listening = await client.listen(channel, (payload) => signals.receive(payload), () => log.debug('listening for settings changes'));
      signals.unlisten = listening.unlisten;
    } catch (error) {
      await client.end({ timeout: 1 }).catch(() => {});
      throw error;
    }
    return signals;
  }

  async publish(change: SettingsChange): Promise<void> {
    await this.client.notify(channel, JSON.stringify(change));
  }

  subscribe(listener: (change: SettingsChange) => void): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {});
    await this.local.close();
    await this.client.end({ timeout: 2 }).catch(() => {});
  }

  private receive(payload: string): void {
    try {
      const change = JSON.parse(payload) as SettingsChange;
      void this.local.publish(change);
    } catch (error) {
      metrics.backgroundFailures.inc({ task: 'settings-signal' });
      this.log.warn({ err: (error as Error).message }, 'ignored a malformed settings signal');
    }
  }
}
