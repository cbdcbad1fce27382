import type { Logger } from '../log.js';
import { exportAtZero, metrics } from '../metrics.js';
import { describeError } from '../errors.js';

/** council_unhandled_errors_total{kind}: every kind is exported at 0 once the handlers are installed. */
export const unhandledKinds = ['rejection', 'exception', 'postgres_socket_race'] as const;
const count = (kind: (typeof unhandledKinds)[number]) => metrics.unhandled.inc({ kind });

export interface LastResortOptions {
  log: Logger;
  /**
   * Called once for an exception nobody caught: the process state is unknown
   * after one, so the caller drains what is in flight and exits non-zero for the
   * supervisor (Compose `restart:`) to start a clean process.
   */
  onFatal: (error: unknown) => void;
}

/**
 * The process-wide policy for failures that escaped their owner. Every task
 * should own its errors (ownTask); this only makes sure a miss is logged once,
 * counted, and does not take every meeting and request down with it.
 *
 * - unhandledRejection: a promise nobody awaited. Nothing is left half-done by
 *   it (the rejection already happened), so log, count, carry on.
 * - uncaughtException: a throw from a callback (timer, socket event). The one
 *   known harmless case, postgres.js writing to a socket it already closed
 *   (porsager/postgres#1066, #1154; the pending query was already rejected
 *   with CONNECTION_CLOSED), is counted and ignored. Anything else may have
 *   left state inconsistent, so it is logged as fatal and the process stops
 *   gracefully through `onFatal`.
 */
export function installLastResort({ log, onFatal }: LastResortOptions): () => void {
  exportAtZero(metrics.unhandled, { kind: unhandledKinds });
  let fatal = false;
  const onRejection = (reason: unknown) => {
    count('rejection');
    log.error({ err: describeError(reason) }, 'unhandled promise rejection: a background task did not own its failure; the process carries on');
  };
  const onException = (error: unknown) => {
    if (isPostgresSocketRace(error)) {
      count('postgres_socket_race');
      log.warn({ err: describeError(error) }, 'postgres.js wrote to a connection it had already closed (known driver bug); the query was already failed, the process carries on');
      return;
    }
    count('exception');
    if (fatal) {
      log.fatal({ err: describeError(error) }, 'second uncaught exception while stopping; exiting now');
      process.exit(1);
    }
    fatal = true;
    log.fatal({ err: describeError(error), stack: stackOf(error) }, 'uncaught exception: stopping gracefully so a clean process can take over');
    onFatal(error);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

/** The driver bug's exact shape: a TypeError on `socket.write` thrown from postgres.js's connection module. */
export function isPostgresSocketRace(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const stack = error.stack ?? '';
  return /reading 'write'|evaluating 'socket\.write'/.test(error.message) && /[\\/]postgres[\\/](?:cjs[\\/])?src[\\/]connection\.js/.test(stack);
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack?.split('\n').slice(1, 6).join('\n') : undefined;
}
