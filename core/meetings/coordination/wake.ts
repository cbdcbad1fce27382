import type { MeetingSignal, MeetingSignals } from './meetingSignals.js';

/**
 * The runner's doorbell: any signal for the meeting wakes whoever waits; a
 * wait also ends at its timeout (the stored row is re-read then, so a lost
 * signal only delays) or when one of the given aborts fires.
 */
export class Wake {
  private readonly waiters = new Set<() => void>();
  private rung = 0;
  private readonly unsubscribe: () => void;

  constructor(signals: MeetingSignals, meetingId: string, onSignal: (signal: MeetingSignal) => void = () => {}) {
    this.unsubscribe = signals.subscribe(meetingId, (signal) => {
      onSignal(signal);
      this.rung++;
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** How many signals have come so far: read it before checking the row, pass it to wait, and a signal in between is not missed. */
  get mark(): number {
    return this.rung;
  }

  wait(ms: number, aborts: Array<AbortSignal | undefined> = [], since = this.rung): Promise<void> {
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
      if (this.rung !== since || aborts.some((abort) => abort?.aborted)) done();
    });
  }

  close(): void {
    this.unsubscribe();
    for (const wake of [...this.waiters]) wake();
  }
}
