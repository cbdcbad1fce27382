/**
 * One line of requests to a rate-limited Discord route: run one at a time in
 * the order they were queued, and at most `limit` started in any `windowMs`
 * (plus a margin for the network between us and Discord's clock). Everyone
 * speaking through one webhook shares it, so several colleagues streaming at
 * once split the webhook's budget instead of racing into 429s, and their
 * messages and edits reach Discord in the order they were made.
 */
export class PacedQueue {
  private readonly starts: number[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(
    readonly limit = 5,
    readonly windowMs = 2_000,
    private readonly marginMs = 150,
  ) {}

  /** Requests queued and not yet started. */
  get queued(): number {
    return this.waiting;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => this.start(task));
    // The next request waits for this one to settle, whatever its outcome; the caller handles the outcome.
    this.tail = result.catch(() => {});
    return result;
  }

  private async start<T>(task: () => Promise<T>): Promise<T> {
    const span = this.windowMs + this.marginMs;
    // A monotonic clock: a wall-clock step (NTP) must not shorten a window.
    for (;;) {
      const now = performance.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - span) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.waiting--;
        try {
          return task();
        } finally {
          // Stamped once the request has begun, never before: the window then counts from no earlier than Discord could see it.
          this.starts.push(performance.now());
        }
      }
      await new Promise((resolve) => setTimeout(resolve, this.starts[0]! + span - now));
    }
  }
}
