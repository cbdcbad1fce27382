import type { Council } from '../../council.js';
import type { Logger } from '../../log.js';
import { ownTask } from '../../tasks/ownTask.js';
import type { MeetingSummary } from '../meetingView.js';

export interface MeetingStarter {
  /** The meetings this face can run (a control-only process leaves those held in Discord threads to the bot). */
  accepts(meeting: MeetingSummary): boolean;
  /** Runs the reserved meeting in the background; runMeeting's claim makes sure only one process does. */
  start(meeting: MeetingSummary): void;
}

export interface Supervisor {
  /** One pass: reserves and starts what is due; the ids started. */
  tick(): Promise<string[]>;
  stop(): void;
}

/**
 * Every process that runs meetings looks, every MEETING_SUPERVISE_MS, for
 * meetings nobody holds that should be running: a runner died (status running,
 * lease expired) or a meeting stopped resumable (interrupted: shutdown, Ollama
 * down) and its backoff is due. The reservation in the database picks one
 * process per meeting, which resumes it from its last stored turn.
 */
export function superviseMeetings(input: {
  council: Council;
  log: Logger;
  starter: MeetingStarter;
  intervalMs?: number;
  /** The supervisor's task name in council_background_failures_total (the bot's supervises its threads). */
  task?: 'meeting-supervisor' | 'bot-meeting-supervisor';
}): Supervisor {
  const { council, log, starter } = input;
  const intervalMs = input.intervalMs ?? council.config.MEETING_SUPERVISE_MS;
  const task = input.task ?? 'meeting-supervisor';
  let busy = false;

  async function tick(): Promise<string[]> {
    if (busy) return [];
    busy = true;
    try {
      // Resuming while no model answers would only spend a meeting's tries. Only the backends are probed: the
      // full readiness check also writes a file in DATA_DIR, every tick, which this gate has no use for. A probe
      // of the last interval is as good (the metric's timer, another face's supervisor in this process).
      if (!(await council.models.recentProbe(intervalMs)).some((probe) => probe.ok)) return [];
      const reserved = await council.meetings.reserveTakeovers((meeting) => starter.accepts(meeting));
      for (const meeting of reserved) {
        log.warn({ meetingId: meeting.id, status: meeting.status, from: meeting.runnerId }, meeting.status === 'running' ? 'taking over a meeting whose runner stopped renewing its lease' : 'resuming an interrupted meeting');
        starter.start(meeting);
      }
      return reserved.map((meeting) => meeting.id);
    } finally {
      busy = false;
    }
  }

  const timer = setInterval(() => void ownTask(log, task, tick), intervalMs);
  timer.unref();
  void ownTask(log, task, tick);
  return { tick, stop: () => clearInterval(timer) };
}
