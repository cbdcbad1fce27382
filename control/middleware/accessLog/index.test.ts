import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.js';
import { registry } from '../../../core/metrics.js';
import { requestId } from '../requestId/index.js';
import type { ControlEnv } from '../../types.js';
import { accessLog } from './index.js';

describe('accessLog middleware', () => {
  it('logs one JSON line per request with its request id and route pattern, never the Authorization header', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const app = new Hono<ControlEnv>().use(requestId()).use(accessLog(createLogger('info', sink))).get('/things/:id', (c) => c.text('ok'));
    await app.request('/things/42', { headers: { 'x-request-id': 'req-7', authorization: 'Bearer topsecret' } });
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry).toMatchObject({ requestId: 'req-7', route: '/things/:id', path: '/things/42', status: 200, method: 'GET' });
    expect(lines.join()).not.toContain('topsecret');
    const metrics = await registry.getSingleMetricAsString('council_http_requests_total');
    expect(metrics).toContain('route="/things/:id",status="200"');
    expect(metrics).not.toContain('/things/42');
  });
});
