import { describe, expect, it } from 'vitest';
import { maxResumeAttempts, resumeDecision, resumeDelayMs } from '../../core/meetings/coordination/resumeBackoff.js';

describe('resume backoff', () => {
  it('doubles from one minute and caps at sixty', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => resumeDelayMs(n)! / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('stops after the limit', () => {
    expect(resumeDelayMs(maxResumeAttempts + 1)).toBeNull();
    expect(resumeDecision({ attempts: maxResumeAttempts, nextAttemptAt: null })).toEqual({ kind: 'give_up' });
  });

  it('waits until the next attempt is due', () => {
    const now = Date.now();
    expect(resumeDecision({ attempts: 2, nextAttemptAt: new Date(now + 5_000) }, now)).toEqual({ kind: 'wait', untilMs: now + 5_000 });
    expect(resumeDecision({ attempts: 2, nextAttemptAt: new Date(now - 1) }, now)).toEqual({ kind: 'resume' });
    expect(resumeDecision({ attempts: 0, nextAttemptAt: null }, now)).toEqual({ kind: 'resume' });
  });
});
