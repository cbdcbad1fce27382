import { Hono } from 'hono';
import { renderMetrics, registry } from '../../core/metrics.js';
import { readinessProbe } from '../readiness.js';
import type { ControlDeps, ControlEnv } from '../types.js';

/**
 * Liveness and scrape: hit every few seconds by Docker and Prometheus, so they
 * are mounted ahead of the request-id and access-log middleware and stay as
 * cheap as a bare Hono route (bench/http.ts).
 */
export function probeRoutes() {
  return new Hono<ControlEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/metrics', async (c) => c.body(await renderMetrics(), 200, { 'content-type': registry.contentType }));
}

export function readinessRoutes(deps: ControlDeps) {
  const probe = readinessProbe(deps.council, deps.botStatus, deps.readinessCacheMs ?? 2_000);
  return new Hono<ControlEnv>().get('/readyz', async (c) => {
    const checks = await probe();
    const ready = checks.every((check) => check.ok);
    return c.json({ ready, checks }, ready ? 200 : 503);
  });
}
