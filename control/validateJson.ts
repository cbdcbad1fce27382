import type { Context } from 'hono';
import type { z } from 'zod';
import { CouncilError } from '../core/errors.js';

/**
 * Parses and validates a JSON body. Only `application/json` is read (415
 * otherwise): a web page can post text/plain or a form to any address without
 * a CORS preflight, never JSON. Bad JSON or a bad or unknown field is a 400
 * naming it.
 */
export async function validateJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const type = (c.req.header('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new CouncilError('unsupported_media_type', `send the body as JSON with Content-Type: application/json${type ? ` (got ${type.slice(0, 60)})` : ''}`);
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new CouncilError('bad_usage', 'body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const unknown = issue?.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}` : undefined;
    throw new CouncilError('bad_usage', unknown ?? `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}
