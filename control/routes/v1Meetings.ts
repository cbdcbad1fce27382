import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { toCouncilError } from '../../core/errors.js';
import { Wake } from '../../core/meetings/wake.js';
import { meetingBody } from '../schemas.js';
import type { ControlDeps, ControlEnv } from '../types.js';
import { validateJson } from '../validateJson.js';

const ended = new Set(['completed', 'cancelled', 'failed']);
/** A follower re-reads the stored meeting at least this often, so a lost signal only delays an event. */
const pollMs = 2_000;

/**
 * Meetings as resources. A meeting runs in the background of whichever process
 * took it (owned by council.background, never by a request), so a client that
 * disconnects never stops it; its events can be followed from any process,
 * replayed from the stored turns (event id = turn seq, so Last-Event-ID
 * resumes exactly after the last turn seen). A key sees only its own meetings.
 */
export function v1MeetingsRoutes({ council }: ControlDeps) {
  return new Hono<ControlEnv>()
    .post('/', async (c) => {
      const body = await validateJson(c, meetingBody);
      const meeting = await council.createMeeting({ ...body, ownerId: c.get('caller').ownerId, autostart: true });
      council.background.start(meeting.id);
      const location = `/v1/meetings/${meeting.id}`;
      c.header('location', location);
      return c.json({ id: meeting.id, status: meeting.status, location, events: `${location}/events` }, 202);
    })
    .get('/:id/events', async (c) => {
      const id = c.req.param('id');
      const ownerId = c.get('caller').ownerId;
      const last = Number(c.req.header('last-event-id') ?? c.req.query('after') ?? 0);
      // The first read happens before the stream opens, so an unknown or foreign meeting is a plain 404.
      let state = await council.followMeeting(id, Number.isInteger(last) && last > 0 ? last : 0, { ownerId });
      return streamSSE(c, async (stream) => {
        const wake = new Wake(council.ctx.signals, id);
        const gone = new AbortController();
        stream.onAbort(() => gone.abort());
        let seq = Number.isInteger(last) && last > 0 ? last : 0;
        let status: string | undefined;
        try {
          for (;;) {
            for (const turn of state.turns) {
              await stream.writeSSE({ id: String(turn.seq), event: 'turn', data: JSON.stringify(turn) });
              seq = turn.seq;
            }
            if (state.status !== status) {
              status = state.status;
              await stream.writeSSE({ event: 'status', data: JSON.stringify({ status, error: state.error }) });
            }
            if (ended.has(state.status) || stream.aborted) break;
            await wake.wait(pollMs, [gone.signal]);
            if (stream.aborted) break;
            state = await council.followMeeting(id, seq, { ownerId });
          }
          if (!stream.aborted) await stream.writeSSE({ event: 'meeting_ended', data: JSON.stringify({ status: state.status, error: state.error, minutes: state.minutes }) });
        } catch (error) {
          const failure = toCouncilError(error);
          if (!stream.aborted) await stream.writeSSE({ event: 'error', data: JSON.stringify({ code: failure.code, message: failure.message }) });
        } finally {
          wake.close();
        }
      });
    })
    .post('/:id/resume', async (c) => {
      const id = c.req.param('id');
      await council.getMeeting(id, { ownerId: c.get('caller').ownerId });
      const { meeting, needsRunner } = await council.resumeMeeting(id);
      // A paused meeting whose runner still holds it carries on by itself; otherwise this process claims it.
      if (needsRunner) council.background.start(id);
      c.header('location', `/v1/meetings/${id}`);
      return c.json({ id, status: meeting.status, runner: needsRunner ? 'this process' : 'its current runner' }, 202);
    });
}
