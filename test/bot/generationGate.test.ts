import { describe, expect, it } from 'vitest';
import { GenerationGate } from '../../bot/functions/guards/generationGate.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('GenerationGate', () => {
  it('caps generations per channel and per user, and starts waiters in arrival order as room frees', async () => {
    const gate = new GenerationGate({ perChannel: 2, perUser: 1, queuedPerUser: 5, queuedPerChannel: 5 });
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const job = (channel: string, user: string, label: string) =>
      gate.run(channel, user, () => new Promise<void>((resolve) => (started.push(label), releases.set(label, resolve))));
    const all = [job('c1', 'alice', 'a1'), job('c1', 'alice', 'a2'), job('c1', 'bob', 'b1'), job('c1', 'carol', 'c1'), job('c2', 'dave', 'd1')];
    await tick();
    expect(started).toEqual(['a1', 'b1', 'd1']);
    expect(gate.queued).toBe(2);
    releases.get('a1')!();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'd1', 'a2']);
    releases.get('b1')!();
    await tick();
    expect(started.at(-1)).toBe('c1');
    for (const release of releases.values()) release();
    await Promise.all(all);
    expect(gate.queued).toBe(0);
  });

  it('frees its slot when the task fails', async () => {
    const gate = new GenerationGate({ perChannel: 1, perUser: 1, queuedPerUser: 5, queuedPerChannel: 5 });
    await expect(gate.run('c', 'u', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await gate.run('c', 'u', async () => 'ok')).toBe('ok');
  });

  it('bounds the waiting lines per person and per channel with a clear refusal, counting a batch once, and tells each waiter its place', async () => {
    const gate = new GenerationGate({ perChannel: 1, perUser: 1, queuedPerUser: 1, queuedPerChannel: 2 });
    const releases: Array<() => void> = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const positions: Array<number | null> = [];
    const running = gate.run('c', 'alice', hold);
    const consult = [gate.run('c', 'alice', hold, { batch: 'x', onPosition: (p) => positions.push(p) }), gate.run('c', 'alice', hold, { batch: 'x' })];
    await expect(gate.run('c', 'alice', hold)).rejects.toMatchObject({ code: 'busy', message: expect.stringContaining('1 question waiting') });
    const bob = gate.run('c', 'bob', hold);
    await expect(gate.run('c', 'carol', hold)).rejects.toMatchObject({ code: 'busy', message: expect.stringContaining('2 questions are already waiting in this channel') });
    expect(await gate.run('other', 'dave', async () => 'free')).toBe('free');
    expect(positions.at(-1)).toBe(1);
    while (releases.length > 0 || gate.queued > 0) {
      releases.shift()?.();
      await tick();
    }
    await Promise.all([running, ...consult, bob]);
    expect(positions.at(-1)).toBeNull();
  });

  it('holds each request to the caps of the place it was asked in', async () => {
    const gate = new GenerationGate({ perChannel: 1, perUser: 1, queuedPerUser: 5, queuedPerChannel: 5 });
    const wide = { perChannel: 3, perUser: 1, queuedPerUser: 5, queuedPerChannel: 5 };
    const strict = { perChannel: 1, perUser: 1, queuedPerUser: 5, queuedPerChannel: 0 };
    const started: string[] = [];
    const releases: Array<() => void> = [];
    const job = (channel: string, user: string, limits?: typeof wide) =>
      gate.run(channel, user, () => new Promise<void>((resolve) => (started.push(`${channel}:${user}`), releases.push(resolve))), limits ? { limits } : {});
    const all = [job('busy', 'a', wide), job('busy', 'b', wide), job('busy', 'c', wide), job('calm', 'd', strict)];
    await tick();
    expect(started).toEqual(['busy:a', 'busy:b', 'busy:c', 'calm:d']);
    // A place that lets nobody wait refuses at once, in one line.
    await expect(job('calm', 'e', strict)).rejects.toThrow(/one question at a time/);
    for (const release of releases) release();
    await Promise.all(all);
  });
});
