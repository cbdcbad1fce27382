import { describe, expect, it } from 'vitest';
import { parseExpiry } from './parseExpiry.js';

// Wednesday 2 December 2026, 15:30 UTC.
const now = new Date('2026-12-02T15:30:00Z');
const at = (text: string) => parseExpiry(text, now)?.toISOString() ?? null;

describe('parseExpiry', () => {
  it('until a weekday: the end of the coming one; the same weekday means next week', () => {
    expect(at('remember until Friday: staging is frozen')).toBe('2026-12-05T00:00:00.000Z');
    expect(at('Keep this until next Monday')).toBe('2026-12-08T00:00:00.000Z');
    expect(at('until wednesday the build server is down')).toBe('2026-12-10T00:00:00.000Z');
    expect(at('until Tuesday')).toBe('2026-12-09T00:00:00.000Z');
  });

  it('until tomorrow: the end of tomorrow', () => {
    expect(at('Remember until tomorrow that Ana is out')).toBe('2026-12-04T00:00:00.000Z');
  });

  it('for N days or weeks, in digits or words: that long from now', () => {
    expect(at('remember this for 3 days')).toBe('2026-12-05T15:30:00.000Z');
    expect(at('for two weeks we deploy by hand')).toBe('2026-12-16T15:30:00.000Z');
    expect(at('for a week')).toBe('2026-12-09T15:30:00.000Z');
    expect(at('for 1 day')).toBe('2026-12-03T15:30:00.000Z');
  });

  it('until a date: the end of that day; a past or impossible date is no expiry', () => {
    expect(at('the freeze holds until 2026-12-24')).toBe('2026-12-25T00:00:00.000Z');
    expect(at('until 2026-12-31, then the new prices')).toBe('2027-01-01T00:00:00.000Z');
    expect(at('until 2026-11-30')).toBeNull();
    expect(at('until 2026-02-30')).toBeNull();
  });

  it('anything else keeps the memory until someone forgets it', () => {
    expect(at('We deploy on Fridays')).toBeNull();
    expect(at('remember until the end of the sprint')).toBeNull();
    expect(at('for 0 days')).toBeNull();
    expect(at('I waited for days')).toBeNull();
  });
});
