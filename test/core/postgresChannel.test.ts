import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresChannel } from '../../core/db/postgresChannel.js';
import { createLogger } from '../../core/log.js';
import { metrics } from '../../core/metrics.js';
import { PostgresMeetingSignals } from '../../core/meetings/coordination/meetingSignalsPostgres.js';
import { PostgresSettingsSignals } from '../../core/settings/settingsSignals.js';
import { createTestDatabase } from '../support/postgres.js';
import { waitFor } from '../support/waitFor.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const log = createLogger('silent');
const failures = async (task: string) => (await metrics.backgroundFailures.get()).values.find((v) => v.labels.task === task)?.value ?? 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('one Postgres signal channel for meetings and settings', () => {
  it('a signal published by one process reaches the subscribers of another, once', async () => {
    const [sender, receiver] = [await PostgresMeetingSignals.open(database.url, log), await PostgresMeetingSignals.open(database.url, log)];
    try {
      const heard: unknown[] = [];
      const own: unknown[] = [];
      receiver.subscribe('m1', (signal) => heard.push(signal));
      sender.subscribe('m1', (signal) => own.push(signal));
      await sender.publish('m1', { type: 'turn', seq: 4 });
      await sender.publish('m1', { type: 'status', status: 'completed' });
      await waitFor('both signals on both processes', () => heard.length >= 2 && own.length >= 2);
      const both = [{ type: 'turn', seq: 4 }, { type: 'status', status: 'completed' }];
      expect(heard).toEqual(both);
      // The sender hears its own NOTIFY through LISTEN: delivering locally as well would double it.
      expect(own).toEqual(both);
    } finally {
      await sender.close();
      await receiver.close();
    }
  });

  it('settings changes travel on their own channel, not the meetings one', async () => {
    const settings = await PostgresSettingsSignals.open(database.url, log);
    const meetings = await PostgresMeetingSignals.open(database.url, log);
    try {
      const changes: unknown[] = [];
      const meetingSignals: unknown[] = [];
      settings.subscribe((change) => changes.push(change));
      meetings.subscribe('m2', (signal) => meetingSignals.push(signal));
      await settings.publish({ scope: 'channel', id: '42' });
      await meetings.publish('m2', { type: 'inbox' });
      await waitFor('one signal on each channel', () => changes.length === 1 && meetingSignals.length === 1);
      expect(changes).toEqual([{ scope: 'channel', id: '42' }]);
      expect(meetingSignals).toEqual([{ type: 'inbox' }]);
    } finally {
      await settings.close();
      await meetings.close();
    }
  });

  it('a malformed payload or a listener that throws or rejects is counted and the channel keeps delivering', async () => {
    const delivered: string[] = [];
    const channel = await PostgresChannel.open<{ word: string }>({
      url: database.url,
      name: 'council_channel_test',
      log,
      task: 'settings-signal',
      parse: (value) => (typeof value === 'object' && value !== null && typeof (value as { word?: unknown }).word === 'string' ? (value as { word: string }) : null),
      deliver: ({ word }) => {
        if (word === 'throw') throw new Error('listener failed');
        if (word === 'reject') return Promise.reject(new Error('listener failed later'));
        delivered.push(word);
        return undefined;
      },
    });
    const raw = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const before = await failures('settings-signal');
      await raw.notify('council_channel_test', 'not json');
      await raw.notify('council_channel_test', JSON.stringify({ other: 1 }));
      await channel.notify({ word: 'throw' });
      await channel.notify({ word: 'reject' });
      await channel.notify({ word: 'after' });
      await waitFor('the good signal after the bad ones', () => delivered.length === 1);
      expect(delivered).toEqual(['after']);
      await waitFor('every bad signal counted', async () => (await failures('settings-signal')) - before >= 4);
      expect((await failures('settings-signal')) - before).toBe(4);
    } finally {
      await raw.end();
      await channel.close();
    }
  });
});
