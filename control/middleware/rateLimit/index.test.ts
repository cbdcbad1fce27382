import { describe, expect, it } from 'vitest';
import { failedLoginLimiter } from './index.js';

describe('failedLoginLimiter', () => {
  it('blocks an address after max failures until its window ends, then lets it try again', () => {
    let now = 1_000;
    const limiter = failedLoginLimiter({ max: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 2; i++) limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(60_000);
    expect(limiter.blockedFor('b')).toBe(0);
    now += 59_000;
    expect(limiter.blockedFor('a')).toBe(1_000);
    now += 1_000;
    expect(limiter.blockedFor('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(0);
  });

  it('tracks at most maxAddresses, dropping the oldest', () => {
    const limiter = failedLoginLimiter({ max: 1, maxAddresses: 2 });
    limiter.fail('a');
    limiter.fail('b');
    limiter.fail('c');
    expect(limiter.blockedFor('a')).toBe(0);
    expect(limiter.blockedFor('b')).toBeGreaterThan(0);
    expect(limiter.blockedFor('c')).toBeGreaterThan(0);
  });
});
