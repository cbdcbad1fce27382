import type { Council } from '../../council.js';
import { isCouncilError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { ownTask } from '../../tasks/ownTask.js';
import { meetingShutdown } from '../runMeeting.js';

/** Tries to claim a meeting whose first attempt met an unreachable database (2, 4, 8, 16 s apart). */
const startAttempts = 5;

interface Run {
  drain: AbortController;
  cancel: AbortController;
  done: Promise<void>;
}

/**
 * Meetings this process runs with nobody watching (started over /v1, or taken
 * over from a dead runner): each run is owned here, not by the HTTP request
 * that asked for it, so a client that goes away never stops a meeting. On
 * shutdown they finish the turn in flight and stay resumable.
 */
export class BackgroundMeetings {
  private readonly runs = new Map<string, Run>();
  private stopping = false;

  constructor(
    private readonly council: Council,
    private readonly log: Logger,
  ) {}

  has(meetingId: string): boolean {
    return this.runs.has(meetingId);
  }

  get size(): number {
    return this.runs.size;
  }

  /** Runs the meeting to its end in the background; false when it already runs here or the process is stopping. */
  start(meetingId: string): boolean {
    if (this.stopping || this.runs.has(meetingId)) return false;
    const drain = new AbortController();
    const cancel = new AbortController();
    const done = ownTask(this.log, 'meeting-run', async () => {
      // A database that is down before the claim (a restart) must not leave an accepted meeting pending forever.
      for (let attempt = 1; ; attempt++) {
        let started = false;
        try {
          for await (const event of this.council.runMeeting(meetingId, { signal: cancel.signal, drain: drain.signal })) {
            started = true;
            if (event.type === 'meeting_ended') this.log.info({ meetingId, status: event.status, ...(event.error ? { reason: event.error } : {}) }, 'meeting ended');
          }
          return;
        } catch (error) {
          // A decided refusal (held elsewhere, not resumable, no topic) is final; a driver error is the database being away.
          if (started || attempt >= startAttempts || drain.signal.aborted || (isCouncilError(error) && error.code !== 'database_error')) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** attempt));
        }
      }
    }).finally(() => this.runs.delete(meetingId));
    this.runs.set(meetingId, { drain, cancel, done });
    return true;
  }

  /** Lets each meeting store its turn in flight (up to graceMs), then cuts the rest; all stay resumable. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const run of this.runs.values()) run.drain.abort();
    await this.settle(graceMs);
    for (const run of this.runs.values()) run.cancel.abort(meetingShutdown);
    await this.settle(5_000);
  }

  private async settle(ms: number): Promise<void> {
    const all = Promise.all([...this.runs.values()].map((run) => run.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
}
