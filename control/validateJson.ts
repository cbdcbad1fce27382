import type { Context } from 'hono';
import type { z } from 'zod';
import { CouncilError } from '../core/errors.js';

/** Parses and validates a JSON body; bad JSON or a bad field is a 400 naming it. */
export async function validateJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new CouncilError('bad_usage', 'body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CouncilError('bad_usage', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}
