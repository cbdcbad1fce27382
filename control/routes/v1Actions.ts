import { Hono } from 'hono';
import { z } from 'zod';
import { CouncilError } from '../../core/errors.js';
import type { ControlDeps, ControlEnv } from '../types.js';

const listQuery = z.strictObject({ status: z.enum(['open', 'done', 'all']).optional(), mine: z.enum(['1', 'true', '0', 'false']).optional(), meeting: z.string().uuid().optional() });

/**
 * Action items for an API key: those of the meetings it created, and those it
 * owns. `mine=1` keeps only the ones it owns.
 */
export function v1ActionsRoutes({ council }: ControlDeps) {
  return new Hono<ControlEnv>()
    .get('/', async (c) => {
      const parsed = listQuery.safeParse(c.req.query());
      if (!parsed.success) throw new CouncilError('bad_usage', `query: ${parsed.error.issues[0]?.path.join('.') || 'parameters'}: ${parsed.error.issues[0]?.message}; use status=open|done|all, mine=1, meeting=<id>`);
      const { status, mine, meeting } = parsed.data;
      const caller = c.get('caller');
      return c.json(await council.meetings.listActions({ status: status ?? 'open', ...(mine === '1' || mine === 'true' ? { owner: caller.ownerId } : {}), ...(meeting ? { meetingId: meeting } : {}) }, caller));
    })
    .post('/:id/done', async (c) => {
      return c.json(await council.meetings.markActionDone(c.req.param('id'), c.get('caller')));
    });
}
