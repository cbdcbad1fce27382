import type { Logger } from '../log.js';
import type { ApprovalAnswer, ApprovalPort, ApprovalRequest } from './approvalPort.js';
import type { ApprovalQueueStore, QueuedStatus } from './approvalQueueStore.js';
import type { ApprovalSignals } from './approvalSignals.js';

export interface QueueTiming {
  /** How long a question waits for a bot process to take it before the answer is `unasked`. */
  claimMs: number;
  /** How often the row is read again when no signal came (a signal lost across a reconnect). */
  pollMs: number;
}

export const queueTiming: QueueTiming = { claimMs: 5_000, pollMs: 1_000 };

const answers: readonly QueuedStatus[] = ['approved', 'denied', 'timeout', 'unasked'];

/**
 * The approval port of a process without the bot on a shared Postgres (the
 * control plane alone, `council meeting resume` of a Discord meeting): the
 * question goes into tool_approval_queue, a bot process puts it in Discord
 * and writes the answer back (ApprovalRelay). No bot takes it within
 * `claimMs`: `unasked`, as when nobody can be asked. A bot that took it and
 * died: `timeout` once the person's time and the claim window have passed.
 */
export class QueuedApprovals implements ApprovalPort {
  constructor(
    private readonly store: ApprovalQueueStore,
    private readonly signals: ApprovalSignals,
    private readonly log: Logger,
    private readonly timing: QueueTiming = queueTiming,
  ) {}

  async request(request: ApprovalRequest): Promise<ApprovalAnswer> {
    const { signal, ...question } = request;
    const started = Date.now();
    const id = await this.store.add(question, this.timing.claimMs);
    try {
      await this.signals.publish(id).catch((error: unknown) => this.log.warn({ err: (error as Error).message }, 'could not signal a queued tool approval; the bots will find it when they next look'));
      return await this.answerOf(id, started, request);
    } finally {
      await this.store.remove(id).catch((error: unknown) => this.log.warn({ err: (error as Error).message }, 'could not remove an answered tool approval; it is swept within the hour'));
    }
  }

  private async answerOf(id: string, started: number, request: ApprovalRequest): Promise<ApprovalAnswer> {
    const claimEnds = started + this.timing.claimMs;
    // The bot's own timer runs from when it claimed, at the latest when the claim window closed.
    const answerEnds = claimEnds + request.timeoutMs + this.timing.claimMs;
    for (;;) {
      if (request.signal.aborted) {
        if (await this.store.settle(id, 'cancelled', ['waiting', 'asking'])) await this.signals.publish(id).catch(() => {});
        return 'timeout';
      }
      const status = await this.store.status(id);
      if (status === null) return 'unasked';
      if (answers.includes(status)) return status as ApprovalAnswer;
      const now = Date.now();
      if (status === 'waiting' && now >= claimEnds && (await this.store.settle(id, 'unasked', ['waiting']))) return 'unasked';
      if (status === 'asking' && now >= answerEnds && (await this.store.settle(id, 'timeout', ['asking']))) return 'timeout';
      await this.next(id, request.signal);
    }
  }

  /** Until this row is signalled, the poll interval passes or the answer is no longer wanted. */
  private next(id: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.timing.pollMs);
      const unsubscribe = this.signals.subscribe((signalled) => {
        if (signalled === id) done();
      });
      signal.addEventListener('abort', done, { once: true });
      if (signal.aborted) done();
    });
  }
}
