import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { exportAtZero, metrics } from '../metrics.js';
import { coreTasks, type BackgroundTask } from './backgroundTasks.js';

exportAtZero(metrics.backgroundFailures, { task: coreTasks });

/**
 * Runs a background task that nobody awaits (a timer tick, a stream flush, a
 * webhook call, a meeting run): its failure is logged once with its cause and
 * counted in council_background_failures_total{task}, never left to reject
 * unhandled. Returns the settled promise for callers that want to wait.
 */
export function ownTask(log: Logger, task: BackgroundTask, run: () => Promise<unknown>): Promise<void> {
  let started: Promise<unknown>;
  try {
    started = run();
  } catch (error) {
    started = Promise.reject(error);
  }
  return started.then(
    () => undefined,
    (error: unknown) => {
      metrics.backgroundFailures.inc({ task });
      log.warn({ task, err: describeError(error) }, `background task ${task} failed`);
    },
  );
}
