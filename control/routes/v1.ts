import { Hono } from 'hono';
import type { ControlDeps, ControlEnv } from '../types.js';
import { chatBody, consultBody, meetingBody } from '../schemas.js';
import { requestAbort, streamEvents, wantsEventStream } from '../streamEvents.js';
import { validateJson } from '../validateJson.js';
import { openApiDocument } from './openapi.js';

/** The public REST API: thin routes that validate and call the core. */
export function v1Routes({ council }: ControlDeps) {
  return new Hono<ControlEnv>()
    .get('/agents', (c) => c.json(council.listAgents()))
    .post('/agents/:id/chat', async (c) => {
      const body = await validateJson(c, chatBody);
      const agent = council.agents.get(c.req.param('id')).id;
      const session = body.session ?? 'default';
      const controller = requestAbort(c);
      const options = { agent, message: body.message, scope: `api:${session}`, signal: controller.signal };
      if (wantsEventStream(c)) return streamEvents(c, controller, () => council.chatStream(options));
      const reply = await council.chatWithAgent(agent, body.message, options);
      return c.json({ ...reply, session });
    })
    .post('/consult', async (c) => {
      const body = await validateJson(c, consultBody);
      body.agents.forEach((agent) => council.agents.get(agent));
      const controller = requestAbort(c);
      const options = { scope: `api:${body.session ?? 'default'}`, signal: controller.signal };
      if (wantsEventStream(c)) return streamEvents(c, controller, () => council.consultStream({ ...options, message: body.message, agents: body.agents }));
      return c.json(await council.consult(body.message, body.agents, options));
    })
    .post('/meetings', async (c) => {
      const body = await validateJson(c, meetingBody);
      const meeting = await council.createMeeting(body);
      const controller = requestAbort(c);
      return streamEvents(c, controller, () => council.runMeeting(meeting.id, { signal: controller.signal }));
    })
    .get('/meetings/:id', async (c) => c.json(await council.getMeeting(c.req.param('id'))))
    .get('/openapi.json', (c) => c.json(openApiDocument));
}
