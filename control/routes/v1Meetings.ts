import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { CouncilError, toCouncilError } from '../../core/errors.js';
import { meetingBody } from '../schemas.js';
import type { ControlDeps, ControlEnv } from '../types.js';
import { validateJson } from '../validateJson.js';

const listQuery = z.strictObject({
  status: z.enum(['pending', 'running', 'paused', 'interrupted', 'completed', 'cancelled', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/**
 * Meetings as resources. A meeting runs on the runner of whichever process
 * took it (never owned by a request), so a client that disconnects never
 * stops it; its events can be followed from any process in the core's one
 * vocabulary: stored turns replayed as turn_done / human_turn (event id = turn
 * seq, so Last-Event-ID resumes exactly after the last turn seen), then what
 * happens next. A key sees only its own meetings; the core decides.
 */
export function v1MeetingsRoutes({ council }: ControlDeps) {
  return new Hono<ControlEnv>()
    .get('/', async (c) => {
      const parsed = listQuery.safeParse(c.req.query());
      if (!parsed.success) throw new CouncilError('bad_usage', `query: ${parsed.error.issues[0]?.path.join('.') || 'parameters'}: ${parsed.error.issues[0]?.message}; use status=<status>, limit=1-500`);
      return c.json(await council.meetings.list(c.get('caller'), parsed.data));
    })
    .post('/', async (c) => {
      const body = await validateJson(c, meetingBody);
      const meeting = await council.meetings.create({ ...body, autostart: true }, c.get('caller'));
      void council.meetings.runner.start(meeting.id);
      const location = `/v1/meetings/${meeting.id}`;
      c.header('location', location);
      return c.json({ id: meeting.id, status: meeting.status, location, events: `${location}/events` }, 202);
    })
    .get('/:id/events', async (c) => {
      const last = Number(c.req.header('last-event-id') ?? c.req.query('after') ?? 0);
      const gone = new AbortController();
      // The first read happens before the stream opens, so an unknown or foreign meeting is a plain 404.
      const events = await council.meetings.follow(c.req.param('id'), Number.isInteger(last) && last > 0 ? last : 0, gone.signal, c.get('caller'));
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => gone.abort());
        try {
          for await (const event of events) {
            if (stream.aborted) break;
            const seq = 'seq' in event && typeof event.seq === 'number' ? { id: String(event.seq) } : {};
            await stream.writeSSE({ ...seq, event: event.type, data: JSON.stringify(event) });
          }
        } catch (error) {
          const failure = toCouncilError(error);
          if (!stream.aborted) await stream.writeSSE({ event: 'error', data: JSON.stringify({ type: 'error', code: failure.code, message: failure.message }) });
        } finally {
          gone.abort();
        }
      });
    })
    .post('/:id/resume', async (c) => {
      const id = c.req.param('id');
      const { meeting, needsRunner } = await council.meetings.resume(id, c.get('caller'));
      // A paused meeting whose runner still holds it carries on by itself; otherwise this process claims it.
      if (needsRunner) void council.meetings.runner.start(id);
      c.header('location', `/v1/meetings/${id}`);
      return c.json({ id, status: meeting.status, runner: needsRunner ? 'this process' : 'its current runner' }, 202);
    });
}
