import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { metrics } from '../../../core/metrics.js';
import type { ControlEnv } from '../../env.js';
import { clientAddress, credentialOf, type FailedLoginLimiter } from '../rateLimit/index.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Guards /admin: with no ADMIN_TOKEN configured the admin API does not exist
 * (404); otherwise `Authorization: Bearer <ADMIN_TOKEN>`, any printable token
 * (not only the token68 characters), compared in constant time. A wrong or
 * missing credential is a 401; a wrong one counts against that credential
 * from the client's address (rateLimit).
 */
export function adminAuth(token: string | undefined, options: { limiter: FailedLoginLimiter; trustProxy: boolean }): MiddlewareHandler<ControlEnv> {
  if (!token) return createMiddleware<ControlEnv>(async (c) => c.json({ error: { code: 'not_found', message: 'the admin API is off; set ADMIN_TOKEN to enable it' } }, 404));
  const expected = digest(token);
  return createMiddleware<ControlEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const given = /^Bearer +(.+?)\s*$/i.exec(header)?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    if (header !== '') options.limiter.fail(clientAddress(c, options.trustProxy), credentialOf(c));
    metrics.authFailures.inc({ area: 'admin', outcome: 'rejected' });
    c.header('www-authenticate', 'Bearer realm="council-admin"');
    const message = header === '' ? 'send Authorization: Bearer <ADMIN_TOKEN>' : 'the admin token is wrong; send Authorization: Bearer <ADMIN_TOKEN>';
    return c.json({ error: { code: 'unauthorized', message } }, 401);
  });
}
