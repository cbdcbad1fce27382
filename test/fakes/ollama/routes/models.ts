import { z } from 'zod';
import { sendJson, sendText, validate } from '../http.js';
import type { RouteContext } from '../route.js';

const showBody = z.looseObject({ model: z.string().optional(), name: z.string().optional() }).refine((body) => body.model || body.name, { path: ['model'] });

/** GET /api/tags: the installed models. */
export function tagsRoute({ state, res }: RouteContext): void {
  sendJson(res, 200, { models: state.models.tags() });
}

/** POST /api/show: one model's details, or 404 when it is not installed. */
export function showRoute({ state, res, body }: RouteContext): void {
  const parsed = validate(showBody, body);
  sendJson(res, 200, state.models.show((parsed.model || parsed.name)!));
}

/** GET /api/ps: models used in the last five minutes, as if still loaded. */
export function psRoute({ state, res }: RouteContext): void {
  sendJson(res, 200, { models: state.models.running() });
}

export function versionRoute({ state, res }: RouteContext): void {
  sendJson(res, 200, { version: state.version });
}

/** GET /: what load balancers and `curl` see from a live Ollama. */
export function rootRoute({ res }: RouteContext): void {
  sendText(res, 200, 'Ollama is running');
}
