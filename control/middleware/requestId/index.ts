import { randomBytes } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { ControlEnv } from '../../env.js';

const valid = /^[\w.:-]{1,128}$/;

/**
 * x-request-id in and out: a caller's id is kept when it is sane, otherwise a
 * process prefix and a counter, unique per process and far cheaper than a
 * UUID per request on the /healthz and /metrics hot paths.
 */
export function requestId() {
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;
  return createMiddleware<ControlEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && valid.test(incoming) ? incoming : `${prefix}-${(++counter).toString(36)}`;
    c.set('requestId', id);
    c.header('x-request-id', id);
    await next();
  });
}
