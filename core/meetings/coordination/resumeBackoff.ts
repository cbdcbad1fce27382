/**
 * How automatic resumes of a failed meeting back off: 1, 2, 4 ... minutes,
 * capped at 60, and after `maxResumeAttempts` no more automatic tries (a
 * person can still resume or cancel it). Pure, so every process that
 * supervises meetings applies the same schedule.
 */
export const resumeBaseDelayMs = 60_000;
export const resumeMaxDelayMs = 60 * 60_000;
export const maxResumeAttempts = 8;

/** Delay before automatic attempt number `attempt` (1-based) may start; null once attempts are used up. */
export function resumeDelayMs(attempt: number, base = resumeBaseDelayMs, cap = resumeMaxDelayMs, max = maxResumeAttempts): number | null {
  if (attempt > max) return null;
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

export type ResumeDecision = { kind: 'resume' } | { kind: 'wait'; untilMs: number } | { kind: 'give_up' };

/** Whether a resumable meeting should be resumed now, waited on, or left for a person. */
export function resumeDecision(meeting: { attempts: number; nextAttemptAt: Date | null }, now = Date.now(), max = maxResumeAttempts): ResumeDecision {
  if (meeting.attempts >= max) return { kind: 'give_up' };
  const due = meeting.nextAttemptAt?.getTime() ?? 0;
  return due > now ? { kind: 'wait', untilMs: due } : { kind: 'resume' };
}
