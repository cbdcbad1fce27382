import { z } from 'zod';
import { strikeBeforeAnswer } from '../faults.js';
import { sendJson, validate } from '../http.js';
import type { RouteContext } from '../route.js';
import { promptTokenCount } from '../tokens.js';

const embedBody = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string())]).optional(),
  dimensions: z.number().int().positive().optional(),
});

const legacyBody = z.looseObject({ model: z.string().min(1), prompt: z.string().default('') });

const ns = (ms: number) => Math.round(ms * 1e6);

/** Faults and embedMs, shared by both embedding routes; false when a fault already dealt with the request. */
async function prepare(context: RouteContext): Promise<boolean> {
  const fault = context.state.faults.take({ path: 'embed', structured: false });
  if (await strikeBeforeAnswer(fault, context.res, context.signal)) return false;
  await context.state.latency.wait(context.state.latency.current.embedMs, context.signal);
  return true;
}

/** POST /api/embed: one L2-normalised vector per input. */
export async function embedRoute(context: RouteContext): Promise<void> {
  const body = validate(embedBody, context.body);
  const model = context.state.models.require(body.model, 'embed');
  if (!(await prepare(context))) return;
  const inputs = body.input === undefined ? [] : Array.isArray(body.input) ? body.input : [body.input];
  const dims = Math.min(body.dimensions ?? Number.POSITIVE_INFINITY, context.state.models.dims(model));
  sendJson(context.res, 200, {
    model: body.model,
    embeddings: inputs.map((text) => context.state.embedder(text, dims)),
    total_duration: ns(performance.now() - context.arrivedAt),
    load_duration: 0,
    prompt_eval_count: promptTokenCount(inputs.map((content) => ({ role: 'user', content }))),
  });
}

/** POST /api/embeddings, the older single-prompt form. */
export async function legacyEmbeddingsRoute(context: RouteContext): Promise<void> {
  const body = validate(legacyBody, context.body);
  const model = context.state.models.require(body.model, 'embed');
  if (!(await prepare(context))) return;
  sendJson(context.res, 200, { embedding: context.state.embedder(body.prompt, context.state.models.dims(model)) });
}
