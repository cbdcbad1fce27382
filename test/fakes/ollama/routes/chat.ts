import { z } from 'zod';
import { validate } from '../http.js';
import type { RouteContext } from '../route.js';
import { serveGeneration } from '../serveGeneration.js';

export const formatSchema = z.union([z.literal('json'), z.literal(''), z.record(z.string(), z.unknown())], {
  error: 'invalid format: expected "json" or a valid JSON schema',
});

const chatBody = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.string(), content: z.string().default('') })).default([]),
  stream: z.boolean().optional(),
  format: formatSchema.optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** POST /api/chat: streams NDJSON unless `stream` is false, as Ollama does. */
export async function chatRoute(context: RouteContext): Promise<void> {
  const body = validate(chatBody, context.body);
  context.state.models.require(body.model, 'chat');
  const messages = body.messages.map(({ role, content }) => ({ role, content }));
  await serveGeneration(context, { model: body.model, messages, format: body.format || undefined, options: body.options }, body.stream !== false, 'chat');
}
