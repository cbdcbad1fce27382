import { Hono } from 'hono';
import { meetingMessageBody as messageBody } from '../schemas.js';
import type { ControlDeps, ControlEnv } from '../types.js';
import { validateJson } from '../validateJson.js';

/**
 * People's side of a running meeting over REST: speak in it (as the key's
 * name), pause it, cancel (or stop) it. Only the key that created the meeting may; any
 * other gets a 404, so a meeting's existence does not leak. Resume lives
 * with the meeting resource (v1Meetings.ts).
 */
export function v1MeetingControlRoutes({ council }: ControlDeps) {
  // `stop` is the Stop button's name for the same request.
  const cancel = async (id: string, ownerId: string, requested: 'cancel' | 'stop') => {
    await council.getMeeting(id, { ownerId });
    const meeting = await council.cancelMeeting(id);
    return { id, status: meeting.status, requested };
  };
  return new Hono<ControlEnv>()
    .post('/:id/messages', async (c) => {
      const id = c.req.param('id');
      const caller = c.get('caller');
      await council.getMeeting(id, { ownerId: caller.ownerId });
      const body = await validateJson(c, messageBody);
      const posted = await council.postToMeeting(id, { speakerId: caller.ownerId, speakerName: caller.name, text: body.text });
      return c.json({ id: posted.id, meetingId: id, meetingStatus: posted.status, speaker: caller.name }, 202);
    })
    .post('/:id/pause', async (c) => {
      const id = c.req.param('id');
      await council.getMeeting(id, { ownerId: c.get('caller').ownerId });
      const meeting = await council.pauseMeeting(id);
      return c.json({ id, status: meeting.status, requested: 'pause' }, 202);
    })
    .post('/:id/cancel', async (c) => c.json(await cancel(c.req.param('id'), c.get('caller').ownerId, 'cancel'), 202))
    .post('/:id/stop', async (c) => c.json(await cancel(c.req.param('id'), c.get('caller').ownerId, 'stop'), 202));
}
