import { Hono } from 'hono';
import type { ControlDeps, ControlEnv } from '../types.js';

/** "Why did you say this?" for an answer: the memories its prompt held that this key may see. */
export function v1MessagesRoutes({ council }: ControlDeps) {
  return new Hono<ControlEnv>().get('/:id/memories', async (c) => c.json(await council.memory.why(c.req.param('id'), c.get('caller'))));
}
