import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { stream } from 'hono/streaming';
import { ApiKeyStore } from '../../core/auth/apiKeys.js';
import { AuditLog } from '../../core/auth/auditLog.js';
import { toNdjsonLine } from '../../core/backup/exportData.js';
import { adminCaller, memoryScopeForEveryone } from '../../core/memory/scope.js';
import { bodyTooLarge } from '../httpError.js';
import { requestLog } from '../middleware/accessLog/index.js';
import { keyBody, teamNoteBody } from '../schemas.js';
import type { ControlDeps, ControlEnv } from '../types.js';
import { validateJson } from '../validateJson.js';

const importLimit = 64 * 1024 * 1024;

/**
 * Operator routes behind ADMIN_TOKEN: memories, people, backups, meetings,
 * jobs, API keys. What deletes or imports data is written to the audit log.
 */
export function adminRoutes({ council, jobs, log }: ControlDeps) {
  const keys = new ApiKeyStore(council.ctx.database.db);
  const audit = new AuditLog(council.ctx.database.db, log);
  const actor = adminCaller.ownerId;
  return new Hono<ControlEnv>()
    .get('/agents', (c) => c.json(council.listAgents()))
    .get('/memories', async (c) => {
      const agent = c.req.query('agent');
      const query = c.req.query('q');
      const limit = Math.min(1000, Number(c.req.query('limit') ?? 100) || 100);
      return c.json(await council.listMemories({ ...(agent ? { agentId: agent } : {}), ...(query ? { query } : {}), limit }));
    })
    .post('/memories', async (c) => {
      const body = await validateJson(c, teamNoteBody);
      const agentId = council.agents.get(body.agent).id;
      const id = await council.ctx.memories.add({ agentId, content: body.content, kind: 'fact', importance: 0.8, scope: memoryScopeForEveryone() });
      return c.json({ id, agent: agentId, visibility: 'everyone', created: id !== null }, id ? 201 : 200);
    })
    .delete('/memories', async (c) => {
      const agent = c.req.query('agent');
      const guild = c.req.query('guild');
      const result = guild ? await council.clearGuildMemories(guild) : agent ? await council.clearAgentMemories(agent) : await council.clearAllMemories();
      const target = guild ? `guild:${guild}` : agent ? `agent:${agent}` : 'all';
      await audit.record({ actor, action: 'memories.clear', target, rows: result.conversations + result.memories, detail: result });
      return c.json({ agent: agent ?? null, ...(guild ? { guild } : {}), ...result });
    })
    .delete('/users/:id', async (c) => {
      const result = await council.forgetUser(c.req.param('id'));
      const rows = Object.values(result).reduce((sum, n) => sum + n, 0);
      await audit.record({ actor, action: 'user.forget', target: c.req.param('id').slice(0, 200), rows, detail: { ...result } });
      return c.json(result);
    })
    .get('/keys', async (c) => c.json(await keys.list()))
    .post('/keys', async (c) => {
      const body = await validateJson(c, keyBody);
      const created = await keys.create(body.name);
      requestLog(c).info({ keyId: created.id, name: created.name }, 'API key created');
      return c.json(created, 201);
    })
    .delete('/keys/:id', async (c) => {
      const revoked = await keys.revoke(c.req.param('id'));
      await audit.record({ actor, action: 'key.revoke', target: `key:${revoked.id}`, rows: 1, detail: { name: revoked.name } });
      return c.json(revoked);
    })
    .get('/audit', async (c) => c.json(await audit.list(Number(c.req.query('limit') ?? 100) || 100)))
    .get('/export', (c) => {
      c.header('content-type', 'application/x-ndjson');
      c.header('content-disposition', `attachment; filename="council-${new Date().toISOString().slice(0, 10)}.ndjson"`);
      return stream(c, async (out) => {
        for await (const record of council.exportData()) await out.write(toNdjsonLine(record));
      });
    })
    .post('/import', bodyLimit({ maxSize: importLimit, onError: bodyTooLarge('64 MB', 'import a larger file on the server with `council import <file>`') }), async (c) => {
      const result = await council.importNdjson(await c.req.text());
      const rows = Object.values(result).reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
      await audit.record({ actor, action: 'data.import', rows, detail: { ...result } });
      return c.json(result);
    })
    .get('/meetings', async (c) => c.json(await council.listMeetings({ limit: Math.min(500, Number(c.req.query('limit') ?? 100) || 100) })))
    .get('/jobs', async (c) => c.json(await jobs.list()))
    .post('/jobs/:name/run', async (c) => {
      const run = await jobs.run(c.req.param('name'), 'manual');
      // Running here or on another process: 409 names where, from the job_runs row that holds it.
      if (run.status === 'skipped') return c.json({ ...run, error: { code: 'job_running', message: `job ${run.name} is ${(run.detail as { reason?: string } | null)?.reason ?? 'already running'}; try again when it ends` } }, 409);
      return c.json(run, run.status === 'failed' ? 500 : 200);
    });
}
