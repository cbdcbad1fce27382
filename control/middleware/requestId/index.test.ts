import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ControlEnv } from '../../types.js';
import { requestId } from './index.js';

describe('requestId middleware', () => {
  const app = new Hono<ControlEnv>().use(requestId()).get('/', (c) => c.text(c.get('requestId')));

  it('keeps a sane incoming id', async () => {
    const res = await app.request('/', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(await res.text()).toBe('abc-123');
  });

  it('replaces an unsafe one and gives each request its own id', async () => {
    const a = (await app.request('/', { headers: { 'x-request-id': 'has spaces; and $ymbols' } })).headers.get('x-request-id');
    const b = (await app.request('/')).headers.get('x-request-id');
    expect(a).toMatch(/^[0-9a-f]{8}-\w+$/);
    expect(b).not.toBe(a);
  });
});
