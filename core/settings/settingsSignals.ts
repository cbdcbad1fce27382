import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { PostgresChannel } from '../db/postgresChannel.js';
import type { Logger } from '../log.js';
import { settingScopes, type SettingScope } from './settingsSchema.js';

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

const changeSchema = z.object({ scope: z.enum(settingScopes), id: z.string() });

/** Settings changes across every process on one Postgres; a lost signal only delays a change, since SettingsService reads cached settings again after a short while. */
export class PostgresSettingsSignals implements SettingsSignals {
  private constructor(
    private readonly local: LocalSettingsSignals,
    private readonly channel: PostgresChannel<SettingsChange>,
  ) {}

  static async open(url: string, log: Logger): Promise<PostgresSettingsSignals> {
    const local = new LocalSettingsSignals();
    const channel = await PostgresChannel.open<SettingsChange>({
      url,
      name: 'council_settings',
      log,
      task: 'settings-signal',
      parse: (value) => changeSchema.safeParse(value).data ?? null,
      deliver: (change) => local.publish(change),
    });
    return new PostgresSettingsSignals(local, channel);
  }

  async publish(change: SettingsChange): Promise<void> {
    await this.channel.notify(change);
  }

  subscribe(listener: (change: SettingsChange) => void): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.channel.close();
    await this.local.close();
  }
}
