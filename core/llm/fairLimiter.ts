import { CouncilError } from '../errors.js';

interface Waiter {
  lane: string;
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** Lanes of work nobody waits for (memory extraction after an answer): served only when no other lane waits. */
export const backgroundLane = (name: string): string => `background:${name}`;
const isBackground = (lane: string): boolean => lane.startsWith('background:');

/**
 * At most `slots` holders at once. Waiters queue per lane (a conversation or a
 * meeting) and lanes are served round-robin, so one busy meeting cannot starve
 * a person asking a quick question; background lanes wait until no other lane does.
 */
export class FairLimiter {
  private active = 0;
  private readonly lanes = new Map<string, Waiter[]>();
  private readonly order: string[] = [];
  private readonly watchers = new Set<() => void>();

  constructor(
    readonly slots: number,
    private readonly onChange: (state: { active: number; queued: number }) => void = () => {},
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /**
   * Where the lane's next waiter stands: 1 is served at the next free slot.
   * Lanes take turns, so that is the lane's place in the round. Null when
   * the lane waits for nothing.
   */
  positionOf(lane: string): number | null {
    const at = this.order.indexOf(lane);
    if (at < 0) return null;
    // Foreground lanes take turns among themselves; a background lane also waits for every foreground one.
    const before = this.order.slice(0, at).filter((other) => isBackground(other) === isBackground(lane)).length;
    return before + 1 + (isBackground(lane) ? this.order.filter((other) => !isBackground(other)).length : 0);
  }

  /** Called on every change of the queue (a waiter joins, is served or gives up); returns the unsubscribe. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  get queued(): number {
    let count = 0;
    for (const waiters of this.lanes.values()) count += waiters.length;
    return count;
  }

  acquire(lane: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.active < this.slots && this.queued === 0) {
      this.active++;
      this.emit();
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        lane,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.remove(waiter);
          reject(cancelled());
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      let waiters = this.lanes.get(lane);
      if (!waiters) {
        waiters = [];
        this.lanes.set(lane, waiters);
        this.order.push(lane);
      }
      waiters.push(waiter);
      this.emit();
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.next();
      this.emit();
    };
  }

  private next(): void {
    while (this.active < this.slots && this.order.length > 0) {
      const pick = Math.max(0, this.order.findIndex((lane) => !isBackground(lane)));
      const lane = this.order.splice(pick, 1)[0] as string;
      const waiters = this.lanes.get(lane) ?? [];
      const waiter = waiters.shift();
      if (waiters.length > 0) this.order.push(lane);
      else this.lanes.delete(lane);
      if (!waiter) continue;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.active++;
      waiter.resolve(this.releaser());
    }
  }

  private remove(waiter: Waiter): void {
    const waiters = this.lanes.get(waiter.lane);
    if (!waiters) return;
    const index = waiters.indexOf(waiter);
    if (index >= 0) waiters.splice(index, 1);
    if (waiters.length === 0) {
      this.lanes.delete(waiter.lane);
      const at = this.order.indexOf(waiter.lane);
      if (at >= 0) this.order.splice(at, 1);
    }
    this.emit();
  }

  private emit(): void {
    this.onChange({ active: this.active, queued: this.queued });
    for (const watcher of this.watchers) watcher();
  }
}

function cancelled(): CouncilError {
  return new CouncilError('cancelled', 'cancelled while waiting for a free model slot');
}
