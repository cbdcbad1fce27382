import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ControlEnv } from '../../types.js';
import { failedLoginLimiter, refuseWhileBlocked } from '../rateLimit/index.js';
import { adminAuth } from './index.js';

const appWith = (token: string | undefined, limiter = failedLoginLimiter()) =>
  new Hono<ControlEnv>()
    .use('/admin/*', refuseWhileBlocked(limiter, true))
    .use('/admin/*', adminAuth(token, { limiter, trustProxy: true }))
    .get('/admin/x', (c) => c.text('secret'));

const token = 'p@ss:w0rd!-with "quotes" & more';

describe('adminAuth middleware', () => {
  it('hides the admin API entirely without ADMIN_TOKEN', async () => {
    expect((await appWith(undefined).request('/admin/x', { headers: { authorization: 'Bearer anything' } })).status).toBe(404);
  });

  it('answers 401 unauthorized naming the header, for a missing, wrong or non-Bearer credential', async () => {
    const app = appWith(token);
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer p@ss:w0rd!' }, { authorization: `Basic ${token}` }, { authorization: 'Bearer' }]) {
      const res = await app.request('/admin/x', { headers });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.message).toContain('Authorization: Bearer <ADMIN_TOKEN>');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('accepts any printable token, outside the token68 set too', async () => {
    const ok = await appWith(token).request('/admin/x', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('secret');
  });

  it('refuses a wrong token with 429 and Retry-After after 10 tries from one address, while the right token from that address still gets in', async () => {
    const app = appWith(token);
    const from = (address: string, credential: string) => app.request('/admin/x', { headers: { authorization: `Bearer ${credential}`, 'x-forwarded-for': `10.0.0.9, ${address}` } });
    for (let i = 0; i < 10; i++) expect((await from('192.0.2.1', 'stale-token')).status).toBe(401);
    const blocked = await from('192.0.2.1', 'stale-token');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await from('192.0.2.1', token)).status).toBe(200);
    expect((await from('192.0.2.1', 'another-wrong-token')).status).toBe(401);
    expect((await from('192.0.2.2', 'stale-token')).status).toBe(401);
  });

  it('stops an address guessing many different tokens, the right one included, after 100 failures', async () => {
    const app = appWith(token);
    const from = (credential: string) => app.request('/admin/x', { headers: { authorization: `Bearer ${credential}`, 'x-forwarded-for': '192.0.2.7' } });
    for (let i = 0; i < 100; i++) expect((await from(`guess-${i}`)).status).toBe(401);
    expect((await from('guess-100')).status).toBe(429);
    expect((await from(token)).status).toBe(429);
  });
});
