import { describeError, isCouncilError, ShutdownError } from '../../errors.js';
import type { CouncilEvent } from '../../events.js';
import type { Logger } from '../../log.js';
import { metrics } from '../../metrics.js';
import { ownTask } from '../../tasks/ownTask.js';
import type { RunOptions } from './runMeeting.js';

/** Tries to claim a meeting whose first attempt met an unreachable database (2, 4, 8, 16 s apart). */
const startAttempts = 5;

/** Stops the run now, resumable (a thread that refuses posts, say): the turn in flight is cut, nothing is cancelled. */
export interface RunHandle {
  stop(): void;
  /** True once the run was stopped or drained here: the end it reports is this process's doing. */
  readonly stopping: boolean;
}

/**
 * Where a face shows a meeting this process runs (a Discord thread, a
 * terminal): each event in order, awaited, so the meeting goes at the pace of
 * its sinks. A sink that throws is detached, logged and counted; the meeting goes on.
 */
export interface MeetingSink {
  event(event: CouncilEvent, run: RunHandle): Promise<void> | void;
}

export type RunMeeting = (meetingId: string, options: RunOptions) => AsyncIterable<CouncilEvent>;

interface Run {
  drain: AbortController;
  cancel: AbortController;
  sinks: Set<MeetingSink>;
  done: Promise<string>;
  /** The meeting ended (stored) and its last events are being shown: a resume now needs a new run. */
  ended: boolean;
}

/**
 * The one place a process runs meetings, whichever face asked (REST, Discord,
 * a takeover by the supervisor): each run is owned here, not by the request
 * that asked for it, so a client that goes away never stops a meeting; faces
 * attach sinks to show it. On shutdown the runs finish the turn in flight and
 * stay resumable.
 */
export class MeetingRunner {
  private readonly runs = new Map<string, Run>();
  private stopping = false;

  constructor(
    private readonly run: RunMeeting,
    private readonly log: Logger,
  ) {}

  /** True while a run here still drives the meeting; one that has ended and only shows its last events does not count. */
  has(meetingId: string): boolean {
    const run = this.runs.get(meetingId);
    return run !== undefined && !run.ended;
  }

  get size(): number {
    return this.runs.size;
  }

  /**
   * Runs the meeting to its end here; resolves with how it ended. Undefined
   * when it already runs here (attach a sink instead) or the process is stopping.
   */
  start(meetingId: string, sink?: MeetingSink): Promise<string> | undefined {
    if (this.stopping) return undefined;
    const previous = this.runs.get(meetingId);
    // A resume pressed while the last run still posts its ending (the give-up note, say) starts once that run is gone.
    if (previous?.ended) return previous.done.then(() => this.start(meetingId, sink) ?? this.join(meetingId, sink));
    if (previous) return undefined;
    const drain = new AbortController();
    const cancel = new AbortController();
    const sinks = new Set<MeetingSink>(sink ? [sink] : []);
    const handle: RunHandle = {
      stop: () => cancel.abort(new ShutdownError('this meeting was stopped here; it will resume from its last stored turn')),
      get stopping() {
        return cancel.signal.aborted || drain.signal.aborted;
      },
    };
    let status = 'interrupted';
    const run: Run = { drain, cancel, sinks, done: Promise.resolve(status), ended: false };
    const done = ownTask(this.log, 'meeting-run', async () => {
      // A database that is down before the claim (a restart) must not leave an accepted meeting pending forever.
      for (let attempt = 1; ; attempt++) {
        let started = false;
        try {
          for await (const event of this.run(meetingId, { signal: cancel.signal, drain: drain.signal })) {
            started = true;
            if (event.type === 'meeting_ended') {
              status = event.status;
              run.ended = true;
              this.log.info({ meetingId, status: event.status, ...(event.error ? { reason: event.error } : {}) }, 'meeting ended');
            }
            await this.deliver(meetingId, sinks, event, handle);
          }
          return;
        } catch (error) {
          // A decided refusal (held elsewhere, not resumable, no topic) is final; a driver error is the database being away.
          if (started || attempt >= startAttempts || drain.signal.aborted || (isCouncilError(error) && error.code !== 'database_error')) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** attempt));
        }
      }
    })
      .then(() => status)
      .finally(() => this.runs.delete(meetingId));
    run.done = done;
    this.runs.set(meetingId, run);
    return done;
  }

  /** When another start won the run this one waited for, shows it here too; a stopping process leaves the meeting resumable. */
  private join(meetingId: string, sink: MeetingSink | undefined): Promise<string> | string {
    const run = this.runs.get(meetingId);
    if (!run) return 'interrupted';
    if (sink) run.sinks.add(sink);
    return run.done;
  }

  /** Shows a meeting that already runs here in one more place, from its next event. */
  attach(meetingId: string, sink: MeetingSink): () => void {
    const run = this.runs.get(meetingId);
    run?.sinks.add(sink);
    return () => run?.sinks.delete(sink);
  }

  /** Stops the model call in flight now (a cancel was stored: the run ends cancelled at once). */
  abort(meetingId: string): void {
    this.runs.get(meetingId)?.cancel.abort();
  }

  /**
   * Lets each meeting (or those `only` picks) store its turn in flight, up to
   * graceMs, then cuts the rest; all stay resumable. Without `only`, the
   * process is stopping and starts nothing more.
   */
  async stop(graceMs: number, only?: (meetingId: string) => boolean): Promise<void> {
    if (!only) this.stopping = true;
    const chosen = () => [...this.runs.entries()].filter(([id]) => !only || only(id)).map(([, run]) => run);
    for (const run of chosen()) run.drain.abort();
    await settle(chosen(), graceMs);
    for (const run of chosen()) run.cancel.abort(new ShutdownError('the process is shutting down; the meeting will resume from here'));
    await settle(chosen(), 5_000);
  }

  private async deliver(meetingId: string, sinks: Set<MeetingSink>, event: CouncilEvent, handle: RunHandle): Promise<void> {
    for (const sink of [...sinks]) {
      try {
        await sink.event(event, handle);
      } catch (error) {
        sinks.delete(sink);
        metrics.backgroundFailures.inc({ task: 'meeting-sink' });
        this.log.error({ meetingId, err: describeError(error) }, 'a meeting sink failed: detached, the meeting goes on');
      }
    }
  }
}

async function settle(runs: Run[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(runs.map((run) => run.done.catch(() => undefined))), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
