import { z } from 'zod';
import { validate } from '../http.js';
import type { RouteContext } from '../route.js';
import { serveGeneration } from '../serveGeneration.js';

export const formatSchema = z.union([z.literal('json'), z.literal(''), z.record(z.string(), z.unknown())], {
  error: 'invalid format: expected "json" or a valid JSON schema',
});

// Ollama decodes arguments into a Go map: anything but an object in a message sent back is a 400.
const toolCall = z.looseObject({ function: z.looseObject({ name: z.string(), arguments: z.record(z.string(), z.unknown()).default({}) }) });

const chatBody = z.looseObject({
  model: z.string().min(1),
  messages: z
    .array(z.looseObject({ role: z.string(), content: z.string().default(''), tool_calls: z.array(toolCall).optional(), tool_name: z.string().optional() }))
    .default([]),
  stream: z.boolean().optional(),
  format: formatSchema.optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  tools: z.array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string(), description: z.string().optional(), parameters: z.unknown().optional() }) })).optional(),
});

/** POST /api/chat: streams NDJSON unless `stream` is false, as Ollama does; offers `tools` to models that can call them. */
export async function chatRoute(context: RouteContext): Promise<void> {
  const body = validate(chatBody, context.body);
  const tools = body.tools ?? [];
  context.state.models.require(body.model, 'chat', { tools: tools.length > 0 });
  const messages = body.messages.map(({ role, content, tool_calls, tool_name }) => ({ role, content, ...(tool_calls ? { tool_calls } : {}), ...(tool_name ? { tool_name } : {}) }));
  await serveGeneration(context, { model: body.model, messages, format: body.format || undefined, options: body.options, ...(tools.length > 0 ? { tools } : {}) }, body.stream !== false, 'chat');
}
