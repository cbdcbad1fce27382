import { CouncilError } from '../../errors.js';
import type { MeetingStore } from '../store/meetingStore.js';

export type HolderOutcome =
  /** The holder renewed its lease, stored a turn or moved the meeting on (or another runner took it): it runs the meeting. */
  | { outcome: 'live'; runner: string }
  /** Nobody holds it any more: the caller may run it. */
  | { outcome: 'free' }
  /** Still held, without a sign of life, when the wait ran out (a lease longer than the wait). */
  | { outcome: 'held'; runner: string; leaseLeftMs: number };

export interface AwaitHolderOptions {
  maxMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  onTick?: (state: { runner: string; leaseLeftMs: number; waitLeftMs: number }) => void;
}

/**
 * Tells a live runner from a dead one: a live runner renews its lease (every
 * MEETING_LEASE_RENEW_MS) or changes the row, a dead one's lease only runs out.
 * Watches the row until one of them happens, or `maxMs` passes.
 */
export async function awaitHolder(store: MeetingStore, meetingId: string, options: AwaitHolderOptions): Promise<HolderOutcome> {
  const started = Date.now();
  const first = await store.find(meetingId);
  const runner = first ? store.holder(first) : null;
  if (!first || !runner) return { outcome: 'free' };
  const stamp = (row: typeof first) => `${row.runnerId} ${row.status} ${row.leaseUntil?.getTime()} ${row.heartbeatAt?.getTime()}`;
  for (;;) {
    const row = await store.find(meetingId);
    const holder = row ? store.holder(row) : null;
    if (!row || !holder) return { outcome: 'free' };
    if (stamp(row) !== stamp(first)) return { outcome: 'live', runner: holder };
    const leaseLeftMs = (row.leaseUntil?.getTime() ?? 0) - Date.now();
    const waitLeftMs = options.maxMs - (Date.now() - started);
    if (waitLeftMs <= 0) return { outcome: 'held', runner: holder, leaseLeftMs };
    options.onTick?.({ runner: holder, leaseLeftMs, waitLeftMs });
    await pause(Math.max(10, Math.min(options.pollMs ?? 500, waitLeftMs, leaseLeftMs + 10)), options.signal);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stopped = () => {
      clearTimeout(timer);
      reject(new CouncilError('cancelled', 'stopped waiting; the meeting was not resumed here'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stopped);
      resolve();
    }, ms);
    if (signal?.aborted) return stopped();
    signal?.addEventListener('abort', stopped, { once: true });
  });
}
