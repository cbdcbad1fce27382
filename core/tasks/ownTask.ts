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
      log.warn({ task, err: describe(error) }, `background task ${task} failed`);
    },
  );
}

/** The cause worth logging: code and first line, never the query text or parameters a driver attaches. */
export function describe(error: unknown): { code?: string; message: string } {
  let err = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  // Drizzle wraps driver errors as "Failed query: <sql> params: <user text>"; the cause is what failed.
  while (err && typeof err.message === 'string' && err.message.startsWith('Failed query') && err.cause) err = err.cause as typeof err;
  const message = typeof err?.message === 'string' ? err.message.split('\n', 1)[0]!.slice(0, 300) : String(error).slice(0, 300);
  return typeof err?.code === 'string' ? { code: err.code, message } : { message };
}
