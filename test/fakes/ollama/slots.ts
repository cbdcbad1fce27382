/**
 * Generation slots, like OLLAMA_NUM_PARALLEL: at most `limit()` generations run
 * at once and the rest wait first come, first served. Counts what a limiter
 * test needs: generations running, requests waiting, and the peaks of both.
 */
export class GenerationSlots {
  running = 0;
  maxRunning = 0;
  /** Generation requests received and not yet answered, queued ones included. */
  inFlight = 0;
  maxInFlight = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(private readonly limit: () => number) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Counts a request from its arrival; call the returned function once it is answered. */
  arrive(): () => void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return () => {
      this.inFlight--;
    };
  }

  /** Waits for a free slot; the returned function gives it back. Leaves the queue if `signal` aborts. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    if (this.running >= this.limit() || this.waiting.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(entry);
      });
    } else {
      this.running++;
    }
    this.maxRunning = Math.max(this.maxRunning, this.running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.grantFree();
    };
  }

  /** Hands free slots to waiters in arrival order; also call it when the limit grows. */
  grantFree(): void {
    while (this.waiting.length > 0 && this.running < this.limit()) {
      this.running++;
      this.waiting.shift()!.grant();
    }
  }

  resetPeaks(): void {
    this.maxRunning = this.running;
    this.maxInFlight = this.inFlight;
  }
}
