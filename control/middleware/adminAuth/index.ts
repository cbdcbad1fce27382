import { bearerAuth } from 'hono/bearer-auth';
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { ControlEnv } from '../../types.js';

/**
 * Guards /admin: with no ADMIN_TOKEN configured the admin API does not exist
 * (404); otherwise a bearer token, compared in constant time by hono's bearerAuth.
 */
export function adminAuth(token: string | undefined): MiddlewareHandler<ControlEnv> {
  if (!token) return createMiddleware<ControlEnv>(async (c) => c.json({ error: { code: 'not_found', message: 'the admin API is off; set ADMIN_TOKEN to enable it' } }, 404));
  const bearer = bearerAuth({
    token,
    noAuthenticationHeader: { message: { error: { code: 'unauthorized', message: 'send Authorization: Bearer <ADMIN_TOKEN>' } } },
    invalidToken: { message: { error: { code: 'unauthorized', message: 'the admin token is wrong' } } },
  });
  // bearerAuth answers a non-Bearer scheme with 400; for the admin API any wrong credential is a 401.
  return createMiddleware<ControlEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined && !/^Bearer\s/i.test(header)) return c.json({ error: { code: 'unauthorized', message: 'send Authorization: Bearer <ADMIN_TOKEN>' } }, 401);
    return bearer(c as never, next);
  });
}
