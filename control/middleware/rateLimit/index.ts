import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getConnInfo } from '@hono/node-server/conninfo';
import { exportAtZero, metrics } from '../../../core/metrics.js';
import type { ControlEnv } from '../../types.js';

export interface FailedLoginLimiter {
  /** Milliseconds until `address` may try again; 0 when it may now. */
  blockedFor(address: string): number;
  /** Counts one failed credential from `address`. */
  fail(address: string): void;
}

/**
 * Failed credentials per client address in fixed windows: after `max`
 * failures the address is refused until its window ends. Per process: with N
 * replicas behind the door an address gets N times the budget, still far
 * below what guessing a 24-character token or a 256-bit key needs. At most
 * `maxAddresses` are tracked; the oldest window is dropped first.
 */
export function failedLoginLimiter(options: { max?: number; windowMs?: number; maxAddresses?: number; now?: () => number } = {}): FailedLoginLimiter {
  const max = options.max ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { until: number; failures: number }>();
  const current = (address: string) => {
    const entry = windows.get(address);
    if (entry && entry.until <= now()) {
      windows.delete(address);
      return undefined;
    }
    return entry;
  };
  return {
    blockedFor(address) {
      const entry = current(address);
      return entry && entry.failures >= max ? entry.until - now() : 0;
    },
    fail(address) {
      const entry = current(address);
      if (entry) {
        entry.failures++;
        return;
      }
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value as string);
      windows.set(address, { until: now() + windowMs, failures: 1 });
    },
  };
}

/**
 * The client's address: the socket's peer, or behind one trusted reverse proxy
 * (TRUST_PROXY) the last X-Forwarded-For entry, the one that proxy added.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}

/** Answers 429 with Retry-After while the client's address has too many failed credentials. */
export function refuseWhileBlocked(limiter: FailedLoginLimiter, trustProxy: boolean): MiddlewareHandler<ControlEnv> {
  return createMiddleware<ControlEnv>(async (c, next) => {
    const wait = limiter.blockedFor(clientAddress(c, trustProxy));
    if (wait <= 0) return next();
    metrics.authFailures.inc({ area: c.req.path.startsWith('/admin') ? 'admin' : 'api', outcome: 'throttled' });
    c.header('retry-after', String(Math.ceil(wait / 1000)));
    return c.json({ error: { code: 'rate_limited', message: `too many failed credentials from this address; try again in ${Math.ceil(wait / 1000)} s` } }, 429);
  });
}

/** council_auth_failures_total{area,outcome}: where a credential was refused, and whether it was wrong or throttled. */
export const authAreas = ['admin', 'api'] as const;
export const authOutcomes = ['rejected', 'throttled'] as const;
// Every series exists from the start, so increase() counts the first failure too.
exportAtZero(metrics.authFailures, { area: authAreas, outcome: authOutcomes });
