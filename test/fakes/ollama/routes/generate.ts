import { z } from 'zod';
import { validate } from '../http.js';
import type { RouteContext } from '../route.js';
import { serveGeneration } from '../serveGeneration.js';
import type { FakeMessage } from '../types.js';
import { formatSchema } from './chat.js';

const generateBody = z.looseObject({
  model: z.string().min(1),
  prompt: z.string().default(''),
  system: z.string().optional(),
  stream: z.boolean().optional(),
  format: formatSchema.optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** POST /api/generate: the responder sees the system text and the prompt as messages. */
export async function generateRoute(context: RouteContext): Promise<void> {
  const body = validate(generateBody, context.body);
  context.state.models.require(body.model, 'generate');
  const messages: FakeMessage[] = body.prompt === '' ? [] : [...(body.system ? [{ role: 'system', content: body.system }] : []), { role: 'user', content: body.prompt }];
  await serveGeneration(context, { model: body.model, messages, format: body.format || undefined, options: body.options }, body.stream !== false, 'generate');
}
