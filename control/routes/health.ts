import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { metrics, renderMetrics, registry } from '../../core/metrics.js';
import { clientAddress, credentialOf, refuseWhileBlocked, type FailedLoginLimiter } from '../middleware/rateLimit/index.js';
import { readinessProbe } from '../readiness.js';
import type { ControlDeps, ControlEnv } from '../types.js';

/**
 * Liveness and scrape: hit every few seconds by Docker and Prometheus, so they
 * are mounted ahead of the request-id and access-log middleware and stay as
 * cheap as a bare Hono route (bench/http.ts).
 */
export function probeRoutes(metricsToken: string | undefined, guard: { limiter: FailedLoginLimiter; trustProxy: boolean }) {
  const expected = metricsToken ? digest(metricsToken) : undefined;
  const app = new Hono<ControlEnv>().get('/healthz', (c) => c.json({ status: 'ok' }));
  // With METRICS_TOKEN set, only a scraper holding it reads the metrics; wrong tokens are counted and throttled like the others.
  if (expected) app.use('/metrics', refuseWhileBlocked(guard.limiter, guard.trustProxy));
  return app.get('/metrics', async (c) => {
    const header = c.req.header('authorization') ?? '';
    const given = /^Bearer +(.+?)\s*$/i.exec(header)?.[1];
    if (expected && (given === undefined || !timingSafeEqual(digest(given), expected))) {
      if (header !== '') guard.limiter.fail(clientAddress(c, guard.trustProxy), credentialOf(c));
      metrics.authFailures.inc({ area: 'metrics', outcome: 'rejected' });
      c.header('www-authenticate', 'Bearer realm="council-metrics"');
      return c.json({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <METRICS_TOKEN>' } }, 401);
    }
    return c.body(await renderMetrics(), 200, { 'content-type': registry.contentType });
  });
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function readinessRoutes(deps: ControlDeps) {
  const probe = readinessProbe(deps.council, deps.botStatus, deps.readinessCacheMs ?? 2_000);
  const draining = deps.draining ?? (() => false);
  return new Hono<ControlEnv>().get('/readyz', async (c) => {
    // From the first moment of a shutdown: no dependency check, and none that was still running when it began counts.
    const checks = draining() ? [] : [...(await probe())];
    if (draining()) checks.push({ name: 'shutdown', ok: false, problem: 'shutting down: finishing the requests in flight' });
    const ready = checks.every((check) => check.ok);
    // A tool server that is down degrades Council (its tools are not offered); it never makes it unready.
    const degraded = checks.some((check) => check.degraded === true);
    return c.json({ ready, ...(degraded ? { degraded } : {}), checks }, ready ? 200 : 503);
  });
}
