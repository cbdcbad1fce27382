import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { KeysService } from '../../../core/auth/keysService.js';
import { metrics } from '../../../core/metrics.js';
import type { ControlEnv } from '../../env.js';
import { clientAddress, credentialOf, type FailedLoginLimiter } from '../rateLimit/index.js';

const howToGetOne = 'send Authorization: Bearer <api key>; an operator creates one with `council keys create <name>` or POST /admin/keys';

/**
 * Guards /v1: a valid, unrevoked API key as a bearer token, else 401. Sets
 * `caller` ({ ownerId: 'key:<id>', keyId, name }) for the routes: everything
 * the key writes is owned by it. A failed key counts against that key from
 * the client's address (rateLimit); `open` paths (the OpenAPI document) need
 * no key.
 */
export function apiKeyAuth(options: { keys: Pick<KeysService, 'verify'>; limiter: FailedLoginLimiter; trustProxy: boolean; open?: string[] }): MiddlewareHandler<ControlEnv> {
  const open = new Set(options.open ?? []);
  return createMiddleware<ControlEnv>(async (c, next) => {
    if (open.has(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer +(\S+)\s*$/i.exec(header);
    const key = match ? await options.keys.verify(match[1] as string) : null;
    if (!key) {
      if (header !== '') options.limiter.fail(clientAddress(c, options.trustProxy), credentialOf(c));
      metrics.authFailures.inc({ area: 'api', outcome: 'rejected' });
      c.header('www-authenticate', 'Bearer realm="council"');
      const message = header === '' ? howToGetOne : `that API key is unknown or revoked; ${howToGetOne}`;
      return c.json({ error: { code: 'unauthorized', message } }, 401);
    }
    c.set('caller', { ownerId: `key:${key.id}`, keyId: key.id, name: key.name, guildId: null, placeId: null });
    return next();
  });
}
