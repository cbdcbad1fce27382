import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { toNdjsonLine } from '../../core/backup/exportData.js';
import { CouncilError } from '../../core/errors.js';
import { adminCaller } from '../../core/memory/scope.js';
import type { PlaceRef } from '../../core/settings/settingsService.js';
import type { SettingScope } from '../../core/settings/settingsSchema.js';
import { bodyTooLarge } from '../httpError.js';
import { requestLog } from '../middleware/accessLog/index.js';
import { keyBody, keyToolsBody, settingsBody, teamNoteBody } from '../schemas.js';
import type { ControlDeps, ControlEnv } from '../types.js';
import { validateJson } from '../validateJson.js';

const importLimit = 64 * 1024 * 1024;

const memoryFilterQuery = z.strictObject({
  agent: z.string().optional(),
  q: z.string().optional(),
  kind: z.enum(['fact', 'preference', 'summary', 'decision', 'note', 'person', 'reference']).optional(),
  scope: z.enum(['owner', 'place', 'guild', 'everyone']).optional(),
  source: z.string().max(200).optional(),
  superseded: z.enum(['include', 'only', 'exclude']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * Operator routes behind ADMIN_TOKEN: memories, people, backups, meetings,
 * jobs, API keys, settings per place. What deletes or imports data, and every
 * settings change, is written to the audit log.
 */
export function adminRoutes({ council, jobs, log }: ControlDeps) {
  const { keys, audit } = council;
  return new Hono<ControlEnv>()
    .get('/agents', (c) => c.json(council.listAgents()))
    .get('/memories', async (c) => {
      const parsed = memoryFilterQuery.safeParse(c.req.query());
      if (!parsed.success) throw new CouncilError('bad_usage', `query: ${parsed.error.issues[0]?.path.join('.') || 'parameters'}: ${parsed.error.issues[0]?.message}; filter with agent, q, kind, scope (owner|place|guild|everyone), source, superseded (include|only|exclude), limit`);
      const { agent, q, kind, scope, source, superseded, limit } = parsed.data;
      return c.json(
        await council.memory.list({ ...(agent ? { agentId: agent } : {}), ...(q ? { query: q } : {}), ...(kind ? { kind } : {}), ...(scope ? { visibility: scope } : {}), ...(source ? { source } : {}), ...(superseded ? { superseded } : {}), limit: limit ?? 100 }),
      );
    })
    .post('/memories', async (c) => {
      const body = await validateJson(c, teamNoteBody);
      const { id, agent } = await council.memory.addForEveryone(body.agent, body.content, adminCaller);
      return c.json({ id, agent, visibility: 'everyone', created: id !== null }, id ? 201 : 200);
    })
    .delete('/memories', async (c) => {
      const agent = c.req.query('agent');
      const guild = c.req.query('guild');
      const result = await council.memory.clear(guild ? { guild } : agent ? { agent } : 'all', adminCaller);
      return c.json({ agent: agent ?? null, ...(guild ? { guild } : {}), ...result });
    })
    .delete('/users/:id', async (c) => {
      return c.json(await council.memory.forget(c.req.param('id'), adminCaller));
    })
    .get('/keys', async (c) => c.json(await keys.list()))
    .post('/keys', async (c) => {
      const body = await validateJson(c, keyBody);
      const created = await keys.create(body.name, adminCaller);
      requestLog(c).info({ keyId: created.id, name: created.name }, 'API key created');
      return c.json(created, 201);
    })
    .delete('/keys/:id', async (c) => {
      return c.json(await keys.revoke(c.req.param('id'), adminCaller));
    })
    // A key's tools come only from here: pinned to the definitions offered now, audited (key.tools).
    .patch('/keys/:id', async (c) => {
      const body = await validateJson(c, keyToolsBody);
      return c.json(await council.tools.setKeyTools(c.req.param('id'), body.tools, adminCaller));
    })
    // A place's own settings and what is in force there (with where each value comes from); ?guild=&category=&channel= name the levels above it when they were never stored.
    .get('/settings/:scope/:id', async (c) => c.json(await council.settings.show(c.req.param('scope') as SettingScope, c.req.param('id'), adminCaller, parentsOf(c.req.query()))))
    // Partial: the keys sent are set, null clears one, any other key is a 400.
    .put('/settings/:scope/:id', async (c) => {
      const body = await validateJson(c, settingsBody);
      return c.json(await council.settings.set(c.req.param('scope') as SettingScope, c.req.param('id'), body, adminCaller, parentsOf(c.req.query())));
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
      return c.json(await council.importNdjson(await c.req.text(), adminCaller));
    })
    .get('/meetings', async (c) => c.json(await council.meetings.list(adminCaller, { limit: Math.min(500, Number(c.req.query('limit') ?? 100) || 100) })))
    .get('/jobs', async (c) => c.json(await jobs.list()))
    .post('/jobs/:name/run', async (c) => {
      const run = await jobs.run(c.req.param('name'), 'manual');
      // Running here or on another process: 409 names where, from the job_runs row that holds it.
      if (run.status === 'skipped') return c.json({ ...run, error: { code: 'job_running', message: `job ${run.name} is ${(run.detail as { reason?: string } | null)?.reason ?? 'already running'}; try again when it ends` } }, 409);
      return c.json(run, run.status === 'failed' ? 500 : 200);
    });
}

function parentsOf(query: Record<string, string>): PlaceRef {
  return { ...(query.guild ? { guild: query.guild } : {}), ...(query.category ? { category: query.category } : {}), ...(query.channel ? { channel: query.channel } : {}) };
}
