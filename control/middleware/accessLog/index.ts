import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { Logger } from '../../../core/log.js';
import { metrics } from '../../../core/metrics.js';
import type { ControlEnv } from '../../env.js';

type Counter = ReturnType<typeof metrics.httpRequests.labels>;
type Histogram = ReturnType<typeof metrics.httpDuration.labels>;

/**
 * One pino line per request with its request id, and the HTTP metrics labelled
 * by route pattern, never the raw path, so ids in URLs cannot explode the label
 * set. Probes (/healthz, /metrics) are counted but not logged. Labelled metric
 * children are cached: hashing labels on every request is the hot path's cost.
 */
export function accessLog(log: Logger) {
  const counters = new Map<string, Counter>();
  const timers = new Map<string, Histogram>();
  return createMiddleware<ControlEnv>(async (c, next) => {
    const started = performance.now();
    c.set('baseLog', log);
    await next();
    const route = c.res.status === 404 && routePath(c) === '/*' ? 'unmatched' : routePath(c);
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    const counterKey = `${c.req.method} ${route} ${status}`;
    let counter = counters.get(counterKey);
    if (!counter) counters.set(counterKey, (counter = metrics.httpRequests.labels({ method: c.req.method, route, status: String(status) })));
    counter.inc();
    const timerKey = `${c.req.method} ${route}`;
    let timer = timers.get(timerKey);
    if (!timer) timers.set(timerKey, (timer = metrics.httpDuration.labels({ method: c.req.method, route })));
    timer.observe(seconds);
    if (route !== '/metrics' && route !== '/healthz') {
      requestLog(c).info({ method: c.req.method, route, path: c.req.path, status, ms: Math.round(seconds * 1000) }, 'request');
    }
  });
}

/** The request's logger (a child carrying its request id), made on first use. */
export function requestLog(c: Context<ControlEnv>): Logger {
  let log = c.get('log');
  if (!log) {
    log = c.get('baseLog').child({ requestId: c.get('requestId') });
    c.set('log', log);
  }
  return log;
}
