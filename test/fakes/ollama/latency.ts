import { setTimeout as sleep } from 'node:timers/promises';
import type { Latency } from './types.js';

export const noLatency: Latency = { ttftMs: 0, promptTokenMs: 0, tokenMs: 0, jitterMs: 0, embedMs: 0, parallel: Number.POSITIVE_INFINITY };

/** Mulberry32: a tiny seeded generator, so jitter repeats from run to run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fake's timing: each wait is the configured time plus jitter, cut short when the client goes away. */
export class LatencyModel {
  current: Latency;
  private readonly random: () => number;

  constructor(initial: Partial<Latency>, seed = 1) {
    this.current = { ...noLatency, ...initial };
    this.random = seededRandom(seed);
  }

  update(change: Partial<Latency>): void {
    this.current = { ...this.current, ...change };
  }

  /** Resolves after `ms` (plus jitter); rejects with AbortError when `signal` aborts first. */
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    const jitter = this.current.jitterMs > 0 ? this.random() * this.current.jitterMs : 0;
    const total = Math.max(0, ms + jitter);
    if (total === 0) {
      signal.throwIfAborted();
      return;
    }
    await sleep(total, undefined, { signal });
  }
}
