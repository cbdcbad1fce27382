import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ControlEnv } from '../../types.js';
import { adminAuth } from './index.js';

const appWith = (token: string | undefined) => new Hono<ControlEnv>().use('/admin/*', adminAuth(token)).get('/admin/x', (c) => c.text('secret'));

describe('adminAuth middleware', () => {
  it('hides the admin API entirely without ADMIN_TOKEN', async () => {
    expect((await appWith(undefined).request('/admin/x', { headers: { authorization: 'Bearer anything' } })).status).toBe(404);
  });

  it('answers 401 without or with a wrong token, 200 with the right one', async () => {
    const app = appWith('s3cret');
    expect((await app.request('/admin/x')).status).toBe(401);
    expect((await app.request('/admin/x', { headers: { authorization: 'Bearer s3cre' } })).status).toBe(401);
    expect((await app.request('/admin/x', { headers: { authorization: 'Basic s3cret' } })).status).toBe(401);
    const ok = await app.request('/admin/x', { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('secret');
  });
});
