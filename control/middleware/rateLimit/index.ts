import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getConnInfo } from '@hono/node-server/conninfo';
import { exportAtZero, metrics } from '../../../core/metrics.js';
import type { ControlEnv } from '../../env.js';

export interface FailedLoginLimiter {
  /** Milliseconds until `credential` may be tried again from `address`; 0 when it may now. */
  blockedFor(address: string, credential: string): number;
  /** Counts one failed `credential` (credentialOf: a digest, never the secret) from `address`. */
  fail(address: string, credential: string): void;
}

/**
 * Failed credentials in fixed windows, counted per address and credential:
 * after `max` failures of one credential from one address, that credential is
 * refused there until its window ends, while other credentials from the same
 * address (people behind one NAT, nginx without TRUST_PROXY) still get in.
 * Someone trying many different credentials is stopped per address after
 * `maxPerAddress` failures. Per process: with N replicas behind the door an
 * address gets N times the budget, still far below what guessing a
 * 24-character token or a 256-bit key needs. At most `maxEntries` windows of
 * each kind are kept; the oldest is dropped first.
 */
export function failedLoginLimiter(options: { max?: number; maxPerAddress?: number; windowMs?: number; maxEntries?: number; now?: () => number } = {}): FailedLoginLimiter {
  const max = options.max ?? 10;
  const maxPerAddress = options.maxPerAddress ?? 100;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const perCredential = fixedWindows(windowMs, options.maxEntries ?? 10_000, now);
  const perAddress = fixedWindows(windowMs, options.maxEntries ?? 10_000, now);
  return {
    blockedFor(address, credential) {
      return Math.max(perCredential.waitOver(`${address}\n${credential}`, max), perAddress.waitOver(address, maxPerAddress));
    },
    fail(address, credential) {
      perCredential.count(`${address}\n${credential}`);
      perAddress.count(address);
    },
  };
}

function fixedWindows(windowMs: number, maxEntries: number, now: () => number) {
  const windows = new Map<string, { until: number; failures: number }>();
  const current = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.until <= now()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    /** Milliseconds left in `key`'s window once it has `limit` failures, else 0. */
    waitOver(key: string, limit: number): number {
      const entry = current(key);
      return entry && entry.failures >= limit ? entry.until - now() : 0;
    },
    count(key: string): void {
      const entry = current(key);
      if (entry) {
        entry.failures++;
        return;
      }
      if (windows.size >= maxEntries) windows.delete(windows.keys().next().value as string);
      windows.set(key, { until: now() + windowMs, failures: 1 });
    },
  };
}

/**
 * Which credential a request presents, as a short digest (the limiter keeps
 * it in memory; the secret itself is never kept): the Bearer value, or the
 * whole Authorization header; '' when there is none.
 */
export function credentialOf(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  if (header === '') return '';
  const presented = /^Bearer +(.+?)\s*$/i.exec(header)?.[1] ?? header;
  return createHash('sha256').update(presented).digest('hex').slice(0, 16);
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

/** Answers 429 with Retry-After while the request's credential, or its address, has failed too often. */
export function refuseWhileBlocked(limiter: FailedLoginLimiter, trustProxy: boolean): MiddlewareHandler<ControlEnv> {
  return createMiddleware<ControlEnv>(async (c, next) => {
    const wait = limiter.blockedFor(clientAddress(c, trustProxy), credentialOf(c));
    if (wait <= 0) return next();
    metrics.authFailures.inc({ area: authArea(c.req.path), outcome: 'throttled' });
    const seconds = Math.ceil(wait / 1000);
    c.header('retry-after', String(seconds));
    return c.json({ error: { code: 'rate_limited', message: `too many failed attempts with this credential or from this address; fix the credential and try again in ${seconds} s` } }, 429);
  });
}

function authArea(path: string): (typeof authAreas)[number] {
  if (path.startsWith('/admin')) return 'admin';
  if (path === '/metrics') return 'metrics';
  if (path.startsWith('/local')) return 'local';
  return 'api';
}

/** council_auth_failures_total{area,outcome}: where a credential was refused, and whether it was wrong or throttled. */
export const authAreas = ['admin', 'api', 'metrics', 'local'] as const;
export const authOutcomes = ['rejected', 'throttled'] as const;
// Every series exists from the start, so increase() counts the first failure too.
exportAtZero(metrics.authFailures, { area: authAreas, outcome: authOutcomes });
