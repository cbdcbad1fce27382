import type { Logger } from '../log.js';
import { ownTask } from '../tasks/ownTask.js';
import type { ApprovalAnswer, ApprovalPort } from './approvalPort.js';
import type { ApprovalQueueStore, ClaimedApproval } from './approvalQueueStore.js';
import type { ApprovalSignals } from './approvalSignals.js';

/** Why a question being asked was stopped: the face left, so nobody is left to ask. */
const faceLeft = 'face-left';

/**
 * The other half of QueuedApprovals, in a process whose face can ask people
 * (the bot): takes queued questions (on a signal, and every `pollMs` for one
 * that was lost), asks them through the face's port and writes the answer
 * back. A question its asker cancelled is withdrawn; when the face leaves,
 * those still open are answered `unasked`.
 */
export class ApprovalRelay {
  private port: ApprovalPort | null = null;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private draining: Promise<void> | null = null;
  private again = false;
  private readonly asking = new Map<string, AbortController>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: ApprovalQueueStore,
    private readonly signals: ApprovalSignals,
    private readonly log: Logger,
    private readonly runner: string,
    private readonly pollMs = 2_000,
  ) {}

  /** Starts relaying through `port`, or stops with null. */
  serve(port: ApprovalPort | null): void {
    this.port = port;
    if (port && !this.timer) {
      this.unsubscribe = this.signals.subscribe(() => this.tick());
      this.timer = setInterval(() => this.tick(), this.pollMs).unref();
      this.tick();
    }
    if (!port) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.unsubscribe?.();
      for (const controller of this.asking.values()) controller.abort(faceLeft);
    }
  }

  /** Stops relaying and waits for the questions in flight to be answered `unasked` in the queue. */
  async close(): Promise<void> {
    this.serve(null);
    await Promise.all([this.draining, ...this.running]);
  }

  private tick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = ownTask(this.log, 'tool-approval-relay', () => this.drain()).finally(() => {
      this.draining = null;
      if (this.again && this.port) {
        this.again = false;
        this.tick();
      }
    });
  }

  private async drain(): Promise<void> {
    for (const id of await this.store.notAsking([...this.asking.keys()])) this.asking.get(id)?.abort();
    for (;;) {
      const port = this.port;
      if (!port) return;
      const claimed = await this.store.claim(this.runner);
      if (!claimed) return;
      this.ask(claimed, port);
    }
  }

  private ask(claimed: ClaimedApproval, port: ApprovalPort): void {
    const controller = new AbortController();
    this.asking.set(claimed.id, controller);
    const task = ownTask(this.log, 'tool-approval-relay', async () => {
      const answer: ApprovalAnswer = await port.request({ ...claimed.request, signal: controller.signal }).catch((error: unknown) => {
        this.log.warn({ tool: claimed.request.tool, err: (error as Error).message }, 'could not ask for a queued tool approval');
        return 'unasked' as const;
      });
      // Withdrawn by its asker: the row already says cancelled, and this write changes nothing.
      const settled = controller.signal.reason === faceLeft ? 'unasked' : answer;
      if (await this.store.settle(claimed.id, settled, ['asking'])) await this.signals.publish(claimed.id);
    }).finally(() => {
      this.asking.delete(claimed.id);
      this.running.delete(task);
    });
    this.running.add(task);
  }
}
