import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { stream } from 'hono/streaming';
import { toNdjsonLine } from '../../core/backup/exportData.js';
import { requestLog } from '../middleware/accessLog/index.js';
import type { ControlDeps, ControlEnv } from '../types.js';

const importLimit = 64 * 1024 * 1024;

/** Operator routes behind ADMIN_TOKEN: memories, people, backups, meetings, jobs. */
export function adminRoutes({ council, jobs }: ControlDeps) {
  return new Hono<ControlEnv>()
    .get('/agents', (c) => c.json(council.listAgents()))
    .get('/memories', async (c) => {
      const agent = c.req.query('agent');
      const query = c.req.query('q');
      const limit = Math.min(1000, Number(c.req.query('limit') ?? 100) || 100);
      return c.json(await council.listMemories({ ...(agent ? { agentId: agent } : {}), ...(query ? { query } : {}), limit }));
    })
    .delete('/memories', async (c) => {
      const agent = c.req.query('agent');
      const result = agent ? await council.clearAgentMemories(agent) : await council.clearAllMemories();
      requestLog(c).warn({ agent: agent ?? 'all', ...result }, 'memories cleared');
      return c.json({ agent: agent ?? null, ...result });
    })
    .delete('/users/:id', async (c) => {
      const result = await council.forgetUser(c.req.param('id'));
      requestLog(c).warn({ ...result }, 'user data deleted');
      return c.json(result);
    })
    .get('/export', (c) => {
      c.header('content-type', 'application/x-ndjson');
      c.header('content-disposition', `attachment; filename="council-${new Date().toISOString().slice(0, 10)}.ndjson"`);
      return stream(c, async (out) => {
        for await (const record of council.exportData()) await out.write(toNdjsonLine(record));
      });
    })
    .post('/import', bodyLimit({ maxSize: importLimit }), async (c) => c.json(await council.importNdjson(await c.req.text())))
    .get('/meetings', async (c) => c.json(await council.listMeetings({ limit: Math.min(500, Number(c.req.query('limit') ?? 100) || 100) })))
    .get('/jobs', async (c) => c.json(await jobs.list()))
    .post('/jobs/:name/run', async (c) => {
      const run = await jobs.run(c.req.param('name'), 'manual');
      return c.json(run, run.status === 'skipped' ? 409 : run.status === 'failed' ? 500 : 200);
    });
}
