import { describe, expect, it } from 'vitest';
import { CouncilError } from '../../core/errors.js';
import { backgroundLane, FairLimiter } from '../../core/llm/fairLimiter.js';

describe('FairLimiter', () => {
  it('never lets more than `slots` holders in', async () => {
    const limiter = new FairLimiter(2);
    const a = await limiter.acquire('x');
    const b = await limiter.acquire('y');
    let third = false;
    const pending = limiter.acquire('z').then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    expect(limiter.queued).toBe(1);
    a();
    const c = await pending;
    expect(third).toBe(true);
    expect(limiter.inFlight).toBe(2);
    b();
    c();
    expect(limiter.inFlight).toBe(0);
  });

  it('serves lanes round-robin so one busy lane cannot starve another', async () => {
    const limiter = new FairLimiter(1);
    const first = await limiter.acquire('meeting');
    const order: string[] = [];
    const take = (lane: string, label: string) =>
      limiter.acquire(lane).then((release) => {
        order.push(label);
        release();
      });
    const waits = [take('meeting', 'm1'), take('meeting', 'm2'), take('meeting', 'm3'), take('question', 'q')];
    first();
    await Promise.all(waits);
    expect(order).toEqual(['m1', 'q', 'm2', 'm3']);
  });

  it('serves a background lane (memory extraction) only when no person or meeting waits, and says so in the queue positions', async () => {
    const limiter = new FairLimiter(1);
    const first = await limiter.acquire('chat:a');
    const order: string[] = [];
    const take = (lane: string, label: string) =>
      limiter.acquire(lane).then((release) => {
        order.push(label);
        release();
      });
    const waits = [take(backgroundLane('memory:u1'), 'extract'), take('chat:b', 'b'), take('meeting:m', 'm')];
    expect(limiter.positionOf('chat:b')).toBe(1);
    expect(limiter.positionOf('meeting:m')).toBe(2);
    expect(limiter.positionOf(backgroundLane('memory:u1'))).toBe(3);
    first();
    await Promise.all(waits);
    expect(order).toEqual(['b', 'm', 'extract']);
  });

  it('drops a waiter whose signal aborts, without leaking its slot', async () => {
    const limiter = new FairLimiter(1);
    const held = await limiter.acquire('a');
    const controller = new AbortController();
    const waiting = limiter.acquire('b', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CouncilError);
    expect(limiter.queued).toBe(0);
    held();
    const next = await limiter.acquire('c');
    expect(limiter.inFlight).toBe(1);
    next();
  });

  it('ignores a second release', async () => {
    const limiter = new FairLimiter(1);
    const release = await limiter.acquire('a');
    release();
    release();
    expect(limiter.inFlight).toBe(0);
  });
});
