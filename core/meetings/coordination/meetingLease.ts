import type { Config } from '../../config/index.js';
import { CouncilError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { exportAtZero, metrics } from '../../metrics.js';
import { runnerId as thisProcess } from '../../runnerId.js';
import { LeaseLostError, type MeetingRow, type MeetingStore } from '../store/meetingStore.js';
import type { Minutes } from '../engine/minutesSchema.js';

/** council_meeting_claims_total{outcome}: claimed, takeover (from a runner whose lease expired), refused (another process holds it). */
export const claimOutcomes = ['claimed', 'takeover', 'refused'] as const;
const countClaim = (outcome: (typeof claimOutcomes)[number]) => metrics.meetingClaims.inc({ outcome });
exportAtZero(metrics.meetingClaims, { outcome: claimOutcomes });

export interface LeaseTimings {
  /** How long a claim or renewal holds the meeting: a dead runner's meeting is free this long after its last renewal. */
  leaseMs: number;
  /** How often the runner renews. */
  renewMs: number;
}

/** 30 s lease renewed every 10 s: with a 10 s supervisor tick a dead runner's meeting is taken over within 40 s. */
export const defaultLeaseTimings: LeaseTimings = { leaseMs: 30_000, renewMs: 10_000 };

/** The configured timings; renewal at least twice per lease, so one slow renewal never loses it. */
export function leaseTimings(config: Pick<Config, 'MEETING_LEASE_MS' | 'MEETING_LEASE_RENEW_MS'>): LeaseTimings {
  return { leaseMs: config.MEETING_LEASE_MS, renewMs: Math.min(config.MEETING_LEASE_RENEW_MS, Math.floor(config.MEETING_LEASE_MS / 2)) };
}

/**
 * A runner's hold on one meeting: claimed by one atomic statement, renewed on a
 * timer, and `signal` aborts the moment it is lost (another process took the
 * meeting, or renewals failed for longer than the lease) so the runner stops
 * at once without writing.
 */
export class MeetingLease {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private lastRenewed = Date.now();
  private released = false;

  private constructor(
    private readonly store: MeetingStore,
    readonly meetingId: string,
    readonly runner: string,
    private readonly timings: LeaseTimings,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.renew(), timings.renewMs);
    this.timer.unref();
  }

  /**
   * Claims the meeting for this process or says why not: unknown, held by a
   * live runner (named), or in a status that cannot run.
   */
  static async claim(store: MeetingStore, meetingId: string, input: { timings: LeaseTimings; log: Logger; runner?: string }): Promise<{ lease: MeetingLease; row: MeetingRow; previous: MeetingRow }> {
    const runner = input.runner ?? thisProcess;
    const previous = await store.find(meetingId);
    if (!previous) throw new CouncilError('unknown_meeting', `unknown meeting "${meetingId}"; council meeting list shows them`);
    const row = await store.claim(meetingId, runner, input.timings.leaseMs);
    if (!row) {
      countClaim('refused');
      throw await refusal(store, meetingId);
    }
    countClaim(previous.status === 'running' ? 'takeover' : 'claimed');
    if (previous.status === 'running' && previous.runnerId !== runner) {
      if (previous.heartbeatAt && row.heartbeatAt) metrics.meetingTakeoverSeconds.observe((row.heartbeatAt.getTime() - previous.heartbeatAt.getTime()) / 1000);
      input.log.warn({ meetingId, from: previous.runnerId, leaseExpired: previous.leaseUntil, runner }, 'meeting taken over from a runner whose lease expired');
    }
    return { lease: new MeetingLease(store, meetingId, runner, input.timings, input.log), row, previous };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get lost(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops renewing; the runner's final write (finish / complete) frees the lease itself. */
  release(): void {
    this.released = true;
    clearInterval(this.timer);
  }

  /**
   * The runner's last word (its end status: paused, interrupted, cancelled...),
   * which frees the lease. Renewals stop first: one that reached the database
   * after this write found no lease and reported another process, while the
   * runner was still telling its faces how the meeting ended.
   */
  finish(values: Parameters<MeetingStore['finish']>[2]): Promise<boolean> {
    this.release();
    return this.store.finish(this.meetingId, this.runner, values);
  }

  /** Minutes stored and the meeting completed, freeing the lease; renewals stop first, as for finish. */
  complete(minutes: Minutes, people?: ReadonlyMap<string, string>): Promise<void> {
    this.release();
    return this.store.complete(this.meetingId, minutes, this.runner, people);
  }

  private lose(reason: string): void {
    if (this.lost) return;
    this.release();
    metrics.meetingLeaseLost.inc();
    this.log.warn({ meetingId: this.meetingId, runner: this.runner, reason }, 'meeting lease lost: this process stops running it without writing');
    this.controller.abort(new LeaseLostError(this.meetingId));
  }

  private async renew(): Promise<void> {
    if (this.released) return;
    try {
      const held = await this.store.renewLease(this.meetingId, this.runner, this.timings.leaseMs);
      if (this.released) return;
      if (!held) {
        const reason = await this.whyLost();
        // Our own final write may have landed meanwhile: that is an end, not a loss.
        if (!this.released) this.lose(reason);
        return;
      }
      this.lastRenewed = Date.now();
    } catch (error) {
      // The database is unreachable: past the lease another process may take over, so stop before it can.
      if (Date.now() - this.lastRenewed >= this.timings.leaseMs - this.timings.renewMs) this.lose(`lease could not be renewed: ${(error as Error).message?.split('\n', 1)[0]}`);
    }
  }

  /** Why a renewal found no lease of ours, as the row tells it: only a row naming another runner is another process. */
  private async whyLost(): Promise<string> {
    const row = await this.store.find(this.meetingId).catch(() => null);
    if (row === null) return 'the lease was not renewed and the meeting could not be read';
    if (!row) return 'the meeting was deleted';
    if (row.runnerId && row.runnerId !== this.runner) return `another process (${row.runnerId}) holds the meeting`;
    if (!['running', 'paused'].includes(row.status)) return `the meeting is ${row.status} now`;
    if (!row.leaseUntil) return 'its lease was freed while this process ran it';
    return 'its lease expired before a renewal reached the database';
  }
}

async function refusal(store: MeetingStore, meetingId: string): Promise<CouncilError> {
  const row = await store.find(meetingId);
  if (row && row.leaseUntil && row.leaseUntil.getTime() > Date.now() && ['running', 'paused'].includes(row.status)) {
    const seconds = Math.max(1, Math.ceil((row.leaseUntil.getTime() - Date.now()) / 1000));
    return new CouncilError('meeting_not_resumable', `meeting ${meetingId} is ${row.status} on ${row.runnerId}, which renewed its lease ${seconds}s before it expires; stop it there first, or wait: if that process died another takes over`, {
      details: { runner: row.runnerId, leaseUntil: row.leaseUntil },
    });
  }
  return new CouncilError('meeting_not_resumable', `meeting ${meetingId} is ${row?.status ?? 'gone'}; only pending, paused or interrupted meetings can run`);
}
