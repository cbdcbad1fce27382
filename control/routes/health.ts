import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { renderMetrics, registry } from '../../core/metrics.js';
import { readinessProbe } from '../readiness.js';
import type { ControlDeps, ControlEnv } from '../types.js';

/**
 * Liveness and scrape: hit every few seconds by Docker and Prometheus, so they
 * are mounted ahead of the request-id and access-log middleware and stay as
 * cheap as a bare Hono route (bench/http.ts).
 */
export function probeRoutes(metricsToken?: string) {
  const expected = metricsToken ? digest(metricsToken) : undefined;
  return new Hono<ControlEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/metrics', async (c) => {
      // With METRICS_TOKEN set, only a scraper holding it reads the metrics.
      const given = /^Bearer +(.+?)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (expected && (given === undefined || !timingSafeEqual(digest(given), expected))) {
        c.header('www-authenticate', 'Bearer realm="council-metrics"');
        return c.json({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <METRICS_TOKEN>' } }, 401);
      }
      return c.body(await renderMetrics(), 200, { 'content-type': registry.contentType });
    });
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function readinessRoutes(deps: ControlDeps) {
  const probe = readinessProbe(deps.council, deps.botStatus, deps.readinessCacheMs ?? 2_000);
  return new Hono<ControlEnv>().get('/readyz', async (c) => {
    const checks = await probe();
    const ready = checks.every((check) => check.ok);
    return c.json({ ready, checks }, ready ? 200 : 503);
  });
}
