import { Hono } from 'hono';
import { z } from 'zod';
import { CouncilError } from '../../core/errors.js';
import type { ControlDeps, ControlEnv } from '../types.js';
import { validateJson } from '../validateJson.js';

const listQuery = z.strictObject({ page: z.coerce.number().int().min(1).optional(), pageSize: z.coerce.number().int().min(1).max(100).optional(), superseded: z.enum(['1', 'true', '0', 'false']).optional() });
const editBody = z.strictObject({ content: z.string().min(3).max(2_000) });

/** The memories an API key said, to see, fix and delete; core decides who may touch which (MemoryService). */
export function v1MemoriesRoutes({ council }: ControlDeps) {
  return new Hono<ControlEnv>()
    .get('/', async (c) => {
      const parsed = listQuery.safeParse(c.req.query());
      if (!parsed.success) throw new CouncilError('bad_usage', `query: ${parsed.error.issues[0]?.path.join('.') || 'parameters'}: ${parsed.error.issues[0]?.message}; use page, pageSize (1-100), superseded=1`);
      const { page, pageSize, superseded } = parsed.data;
      return c.json(await council.memory.listFor(c.get('caller'), { of: 'me', page: page ?? 1, pageSize: pageSize ?? 20, includeSuperseded: superseded === '1' || superseded === 'true' }));
    })
    .get('/:id', async (c) => c.json(await council.memory.show(c.req.param('id'), c.get('caller'))))
    .patch('/:id', async (c) => {
      const body = await validateJson(c, editBody);
      return c.json(await council.memory.edit(c.req.param('id'), body.content, c.get('caller')));
    })
    .delete('/:id', async (c) => c.json({ forgotten: (await council.memory.forgetOne(c.req.param('id'), c.get('caller'))).id }));
}
