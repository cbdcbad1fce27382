import { describe, expect, it } from 'vitest';
import { failedLoginLimiter } from './index.js';

describe('failedLoginLimiter', () => {
  it('blocks one credential from one address after max failures until its window ends; other credentials from that address still get in', () => {
    let now = 1_000;
    const limiter = failedLoginLimiter({ max: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 2; i++) limiter.fail('a', 'wrong');
    expect(limiter.blockedFor('a', 'wrong')).toBe(0);
    limiter.fail('a', 'wrong');
    expect(limiter.blockedFor('a', 'wrong')).toBe(60_000);
    expect(limiter.blockedFor('a', 'right')).toBe(0);
    expect(limiter.blockedFor('a', '')).toBe(0);
    expect(limiter.blockedFor('b', 'wrong')).toBe(0);
    now += 59_000;
    expect(limiter.blockedFor('a', 'wrong')).toBe(1_000);
    now += 1_000;
    expect(limiter.blockedFor('a', 'wrong')).toBe(0);
    limiter.fail('a', 'wrong');
    expect(limiter.blockedFor('a', 'wrong')).toBe(0);
  });

  it('blocks an address trying many different credentials after maxPerAddress failures, every credential included', () => {
    const limiter = failedLoginLimiter({ max: 3, maxPerAddress: 5 });
    for (let i = 0; i < 4; i++) limiter.fail('a', `guess-${i}`);
    expect(limiter.blockedFor('a', 'right')).toBe(0);
    limiter.fail('a', 'guess-4');
    expect(limiter.blockedFor('a', 'guess-5')).toBeGreaterThan(0);
    expect(limiter.blockedFor('a', 'right')).toBeGreaterThan(0);
    expect(limiter.blockedFor('b', 'right')).toBe(0);
  });

  it('tracks at most maxEntries windows, dropping the oldest', () => {
    const limiter = failedLoginLimiter({ max: 1, maxEntries: 2 });
    limiter.fail('a', 'x');
    limiter.fail('b', 'x');
    limiter.fail('c', 'x');
    expect(limiter.blockedFor('a', 'x')).toBe(0);
    expect(limiter.blockedFor('b', 'x')).toBeGreaterThan(0);
    expect(limiter.blockedFor('c', 'x')).toBeGreaterThan(0);
  });
});
