import type { MeetingSignal, MeetingSignals } from './meetingSignals.js';

/**
 * The runner's doorbell: any signal for the meeting wakes whoever waits; a
 * wait also ends at its timeout (the stored row is re-read then, so a lost
 * signal only delays) or when one of the given aborts fires.
 */
export class Wake {
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(signals: MeetingSignals, meetingId: string, onSignal: (signal: MeetingSignal) => void = () => {}) {
    this.unsubscribe = signals.subscribe(meetingId, (signal) => {
      onSignal(signal);
      for (const wake of [...this.waiters]) wake();
    });
  }

  wait(ms: number, aborts: Array<AbortSignal | undefined> = []): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        for (const abort of aborts) abort?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
      for (const abort of aborts) abort?.addEventListener('abort', done, { once: true });
      if (aborts.some((abort) => abort?.aborted)) done();
    });
  }

  close(): void {
    this.unsubscribe();
    for (const wake of [...this.waiters]) wake();
  }
}
