import { CouncilError } from '../../../core/errors.js';

interface Waiter {
  channel: string;
  user: string;
  batch: string;
  limits: GateLimits;
  start: () => void;
}

export interface GateLimits {
  /** Generations running at once per channel and per person. */
  perChannel: number;
  perUser: number;
  /** Requests that may wait beyond those, per person and per channel; one more is refused. */
  queuedPerUser: number;
  queuedPerChannel: number;
}

export interface GateTicket {
  /**
   * Generations of one request (a /consult's colleagues) share a batch: they
   * count as one waiting request, and start in the order they were asked.
   */
  batch?: string;
  /** Called when the request starts waiting and each time its place changes; null once it runs. */
  onPosition?: (position: number | null) => void;
  /** The caps of the place it is asked in (its settings), instead of the environment's. */
  limits?: GateLimits;
}

let batches = 0;

/**
 * Caps concurrent generations per channel and per user; beyond the caps,
 * requests wait first-come first-served, each starting as soon as both its
 * channel and its user have room. The waiting lines are bounded: a request
 * that would make a person's or a channel's line too long is refused at once
 * with a line saying so, rather than answered many minutes later. A place
 * may set its own caps (settings maxPerChannel, maxPerUser, queuePerChannel,
 * queuePerUser): each request is held to the caps of the place it was asked in.
 */
export class GenerationGate {
  private readonly byChannel = new Map<string, number>();
  private readonly byUser = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private readonly watchers = new Map<Waiter, (position: number | null) => void>();

  constructor(private readonly limits: GateLimits) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** Refuses (CouncilError 'busy') when the person's or the channel's waiting line is full. */
  async run<T>(channel: string, user: string, task: () => Promise<T>, ticket: GateTicket = {}): Promise<T> {
    const batch = ticket.batch ?? `b${++batches}`;
    const limits = ticket.limits ?? this.limits;
    this.admit(channel, user, batch, limits);
    await new Promise<void>((start) => {
      const waiter: Waiter = { channel, user, batch, limits, start };
      this.waiting.push(waiter);
      if (ticket.onPosition) this.watchers.set(waiter, ticket.onPosition);
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.byChannel.set(channel, (this.byChannel.get(channel) ?? 1) - 1);
      this.byUser.set(user, (this.byUser.get(user) ?? 1) - 1);
      this.pump();
    }
  }

  /** A new batch joins the line only while the line has room; more of an already waiting batch always may. */
  private admit(channel: string, user: string, batch: string, limits: GateLimits): void {
    if (this.waiting.some((w) => w.batch === batch)) return;
    if (!this.mustWait(channel, user, limits)) return;
    const waitingBatches = (match: (w: Waiter) => boolean) => new Set(this.waiting.filter(match).map((w) => w.batch)).size;
    if (waitingBatches((w) => w.user === user) >= limits.queuedPerUser) {
      throw new CouncilError('busy', `you already have ${limits.queuedPerUser} question${limits.queuedPerUser === 1 ? '' : 's'} waiting for an answer; ask again once they are answered`);
    }
    if (waitingBatches((w) => w.channel === channel) >= limits.queuedPerChannel) {
      throw new CouncilError('busy', limits.queuedPerChannel === 0 ? 'this channel takes one question at a time; ask again once the answer is written' : `${limits.queuedPerChannel} questions are already waiting in this channel; ask again in a minute`);
    }
  }

  private mustWait(channel: string, user: string, limits: GateLimits): boolean {
    if ((this.byChannel.get(channel) ?? 0) >= limits.perChannel || (this.byUser.get(user) ?? 0) >= limits.perUser) return true;
    return this.waiting.some((w) => w.channel === channel || w.user === user);
  }

  private pump(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const waiter = this.waiting[i]!;
      if ((this.byChannel.get(waiter.channel) ?? 0) < waiter.limits.perChannel && (this.byUser.get(waiter.user) ?? 0) < waiter.limits.perUser) {
        this.waiting.splice(i, 1);
        this.byChannel.set(waiter.channel, (this.byChannel.get(waiter.channel) ?? 0) + 1);
        this.byUser.set(waiter.user, (this.byUser.get(waiter.user) ?? 0) + 1);
        this.tell(waiter, null);
        this.watchers.delete(waiter);
        waiter.start();
      } else {
        i++;
      }
    }
    this.waiting.forEach((waiter, index) => this.tell(waiter, index + 1));
  }

  private tell(waiter: Waiter, position: number | null): void {
    try {
      this.watchers.get(waiter)?.(position);
    } catch {
      // A listener's trouble (a Discord note that failed) never stalls the line.
    }
  }
}
