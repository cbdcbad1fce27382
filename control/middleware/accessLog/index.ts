import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { Logger } from '../../../core/log.js';
import { metrics } from '../../../core/metrics.js';
import type { ControlEnv } from '../../types.js';

/**
 * One pino line per request with its request id (a child logger the handlers
 * reuse), and the HTTP metrics labelled by route pattern, never the raw path,
 * so ids in URLs cannot explode the label set.
 */
export function accessLog(log: Logger) {
  return createMiddleware<ControlEnv>(async (c, next) => {
    const started = performance.now();
    const requestLog = log.child({ requestId: c.get('requestId') });
    c.set('log', requestLog);
    await next();
    const route = c.res.status === 404 && routePath(c) === '/*' ? 'unmatched' : routePath(c);
    const seconds = (performance.now() - started) / 1000;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    if (route !== '/metrics' && route !== '/healthz') {
      requestLog.info({ method: c.req.method, route, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
    }
  });
}
