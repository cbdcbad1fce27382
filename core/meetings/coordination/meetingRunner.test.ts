import { describe, expect, it } from 'vitest';
import type { CouncilEvent } from '../../events.js';
import { createLogger } from '../../log.js';
import { MeetingRunner } from './meetingRunner.js';

const log = createLogger('silent');
const ended = (status: 'completed' | 'interrupted'): CouncilEvent => ({ type: 'meeting_ended', meetingId: 'm1', status });

describe('MeetingRunner', () => {
  it('a resume pressed while the last run still shows its ending starts a new run once that one is gone', async () => {
    const outcomes: Array<'interrupted' | 'completed'> = ['interrupted', 'completed'];
    let runs = 0;
    const runner = new MeetingRunner(async function* () {
      runs++;
      yield ended(outcomes.shift()!);
    }, log);
    let releaseSink!: () => void;
    const sinkHeld = new Promise<void>((resolve) => (releaseSink = resolve));
    let sawEnding!: () => void;
    const endingShown = new Promise<void>((resolve) => (sawEnding = resolve));
    const first = runner.start('m1', {
      event: async () => {
        sawEnding();
        await sinkHeld;
      },
    });
    await endingShown;
    // The first run stored its end and now posts the give-up note: it no longer drives the meeting.
    expect(runner.has('m1')).toBe(false);
    const second = runner.start('m1');
    expect(second).toBeDefined();
    // A second press (the supervisor, another face) joins that new run and shows it, instead of starting a third.
    const shown: CouncilEvent[] = [];
    const third = runner.start('m1', { event: (event) => void shown.push(event) });
    releaseSink();
    expect(await first).toBe('interrupted');
    expect(await second).toBe('completed');
    expect(await third).toBe('completed');
    expect(runs).toBe(2);
    expect(shown).toEqual([ended('completed')]);
  });

  it('a second start while the meeting still runs here does nothing: the caller attaches instead', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const runner = new MeetingRunner(async function* () {
      runs++;
      await held;
      yield ended('completed');
    }, log);
    const first = runner.start('m1');
    expect(runner.has('m1')).toBe(true);
    expect(runner.start('m1')).toBeUndefined();
    release();
    expect(await first).toBe('completed');
    expect(runs).toBe(1);
    expect(runner.has('m1')).toBe(false);
  });
});
