import { maxResumeAttempts } from '../../../core/meetings/coordination/resumeBackoff.js';
import type { MeetingSummary } from '../../../core/meetings/meetingView.js';

/**
 * What the thread is told when its meeting stops resumable: when the next
 * automatic try is due, or, once the tries are used up (only the process that
 * ran the last reserved try gets here, so it is said once), that Council gave
 * up and how a person resumes or cancels it.
 */
export function interruptedNote(meeting: Pick<MeetingSummary, 'id' | 'attempts' | 'nextAttemptAt' | 'error'>, now = Date.now()): string {
  const why = meeting.error ? ` (${meeting.error.split('\n', 1)[0]!.slice(0, 300)})` : '';
  if (meeting.attempts >= maxResumeAttempts) {
    return `⚠️ I gave up on this meeting after ${maxResumeAttempts} automatic attempts to resume it${why}. The turns so far are kept. Resume it by hand with **/meeting resume** in this thread (or \`council meeting resume ${meeting.id}\`), or end it with **/meeting cancel**.`;
  }
  const waitMs = (meeting.nextAttemptAt?.getTime() ?? now) - now;
  const when = waitMs > 90_000 ? `in about ${Math.round(waitMs / 60_000)} minutes` : 'shortly';
  return `Meeting interrupted${why}; it will resume here by itself ${when} (attempt ${meeting.attempts + 1} of ${maxResumeAttempts}), or now with /meeting resume.`;
}
