import { Hono } from 'hono';
import { meetingMessageBody as messageBody } from '../schemas.js';
import type { ApiCaller, ControlDeps, ControlEnv } from '../types.js';
import { validateJson } from '../validateJson.js';

/**
 * People's side of a running meeting over REST: speak in it (as the key's
 * name), pause it, cancel (or stop) it. Only the key that created the meeting may; any
 * other gets a 404, so a meeting's existence does not leak. Resume lives
 * with the meeting resource (v1Meetings.ts).
 */
export function v1MeetingControlRoutes({ council }: ControlDeps) {
  // `stop` is the Stop button's name for the same request.
  const cancel = async (id: string, caller: ApiCaller, requested: 'cancel' | 'stop') => {
    const meeting = await council.meetings.cancel(id, caller);
    return { id, status: meeting.status, requested };
  };
  return new Hono<ControlEnv>()
    .post('/:id/messages', async (c) => {
      const id = c.req.param('id');
      const caller = c.get('caller');
      await council.meetings.get(id, caller);
      const body = await validateJson(c, messageBody);
      const posted = await council.meetings.post(id, body.text, caller);
      return c.json({ id: posted.id, meetingId: id, meetingStatus: posted.status, speaker: caller.name }, 202);
    })
    .post('/:id/pause', async (c) => {
      const id = c.req.param('id');
      const meeting = await council.meetings.pause(id, c.get('caller'));
      return c.json({ id, status: meeting.status, requested: 'pause' }, 202);
    })
    .post('/:id/cancel', async (c) => c.json(await cancel(c.req.param('id'), c.get('caller'), 'cancel'), 202))
    .post('/:id/stop', async (c) => c.json(await cancel(c.req.param('id'), c.get('caller'), 'stop'), 202));
}
