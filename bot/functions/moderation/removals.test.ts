import { describe, expect, it } from 'vitest';
import { archivedForInactivity, Removals } from './removals.js';

const idAt = (ms: number) => ((BigInt(ms) - 1420070400000n) << 22n).toString();

describe('Removals', () => {
  it('tells a watched message once when it is deleted, alone or in bulk, and names every deleted id', () => {
    const removals = new Removals();
    const told: string[] = [];
    removals.watchMessage('1', () => told.push('1'));
    removals.watchMessage('2', () => told.push('2'));
    const stop = removals.watchMessage('3', () => told.push('3'));
    stop();
    expect(removals.onDispatch({ t: 'MESSAGE_DELETE', d: { id: '1' } })).toEqual(['1']);
    expect(removals.onDispatch({ t: 'MESSAGE_DELETE', d: { id: '1' } })).toEqual(['1']);
    expect(removals.onDispatch({ t: 'MESSAGE_DELETE_BULK', d: { ids: ['2', '3', '4'] } })).toEqual(['2', '3', '4']);
    expect(told).toEqual(['1', '2']);
  });

  const cases: Array<[string, { t: string; d: unknown }, string | null]> = [
    ['the thread deleted', { t: 'THREAD_DELETE', d: { id: 't' } }, 'a moderator deleted the meeting thread'],
    ['its channel deleted', { t: 'CHANNEL_DELETE', d: { id: 'parent' } }, 'a moderator deleted the channel of the meeting thread'],
    ['the thread archived just after a message', { t: 'THREAD_UPDATE', d: { id: 't', last_message_id: idAt(Date.now() - 5_000), thread_metadata: { archived: true, archive_timestamp: new Date().toISOString(), auto_archive_duration: 60 } } }, 'a moderator archived the meeting thread'],
    ['the thread archived by Discord after an hour without messages', { t: 'THREAD_UPDATE', d: { id: 't', last_message_id: idAt(Date.now() - 3_600_000), thread_metadata: { archived: true, archive_timestamp: new Date().toISOString(), auto_archive_duration: 60 } } }, null],
    ['the thread reopened', { t: 'THREAD_UPDATE', d: { id: 't', thread_metadata: { archived: false } } }, null],
    ['another thread deleted', { t: 'THREAD_DELETE', d: { id: 'other' } }, null],
    ['another channel deleted', { t: 'CHANNEL_DELETE', d: { id: 'elsewhere' } }, null],
  ];
  for (const [name, dispatch, reason] of cases) {
    it(`a watched meeting thread: ${name} -> ${reason ?? 'nothing'}`, () => {
      const removals = new Removals();
      const told: string[] = [];
      removals.watchThread('t', 'parent', (why) => told.push(why));
      removals.onDispatch(dispatch);
      removals.onDispatch(dispatch);
      expect(told).toEqual(reason ? [reason] : []);
    });
  }

  it('reads an archive with no last message or no timestamp as a moderator\'s', () => {
    expect(archivedForInactivity({ thread_metadata: { archived: true, archive_timestamp: new Date().toISOString(), auto_archive_duration: 60 } })).toBe(false);
    expect(archivedForInactivity({ last_message_id: idAt(Date.now() - 7_200_000), thread_metadata: { archived: true } })).toBe(false);
  });
});
