import { describe, expect, it } from 'vitest';
import { GenerationGate } from '../../bot/functions/guards/generationGate.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('GenerationGate', () => {
  it('caps generations per channel and per user, and starts waiters in arrival order as room frees', async () => {
    const gate = new GenerationGate(2, 1);
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
    const gate = new GenerationGate(1, 1);
    await expect(gate.run('c', 'u', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await gate.run('c', 'u', async () => 'ok')).toBe('ok');
  });
});
