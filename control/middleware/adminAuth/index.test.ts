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

  it('refuses an address after 10 wrong tokens with 429 and Retry-After, even with the right token, other addresses still served', async () => {
    const app = appWith(token);
    const from = (address: string, credential: string) => app.request('/admin/x', { headers: { authorization: `Bearer ${credential}`, 'x-forwarded-for': `10.0.0.9, ${address}` } });
    for (let i = 0; i < 10; i++) expect((await from('192.0.2.1', `guess-${i}`)).status).toBe(401);
    const blocked = await from('192.0.2.1', token);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await from('192.0.2.2', token)).status).toBe(200);
  });
});
