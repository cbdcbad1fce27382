import { Hono } from 'hono';
import { apiKeyCaller } from '../../core/memory/scope.js';
import type { ControlDeps, ControlEnv } from '../types.js';
import { attachmentInputs, chatBody, consultBody } from '../schemas.js';
import { requestAbort, streamEvents, wantsEventStream } from '../streamEvents.js';
import { validateJson } from '../validateJson.js';
import { openApiDocument } from './openapi.js';
import { v1MeetingsRoutes } from './v1Meetings.js';

/**
 * The public REST API: thin routes that validate and call the core, as the
 * API key the apiKey middleware verified. Sessions, memories and meetings
 * belong to that key.
 */
export function v1Routes(deps: ControlDeps) {
  const { council } = deps;
  return new Hono<ControlEnv>()
    .get('/agents', (c) => c.json(council.listAgents()))
    .post('/agents/:id/chat', async (c) => {
      const body = await validateJson(c, chatBody);
      const agent = council.agents.get(c.req.param('id')).id;
      const session = body.session ?? 'default';
      const controller = requestAbort(c);
      const options = { agent, message: body.message, scope: `api:${session}`, caller: apiKeyCaller(c.get('caller').keyId), signal: controller.signal, attachments: attachmentInputs(body.attachments) };
      if (wantsEventStream(c)) return streamEvents(c, controller, () => council.chatStream(options));
      const reply = await council.chatWithAgent(agent, body.message, options);
      return c.json({ ...reply, session });
    })
    .post('/consult', async (c) => {
      const body = await validateJson(c, consultBody);
      body.agents.forEach((agent) => council.agents.get(agent));
      const controller = requestAbort(c);
      const options = { scope: `api:${body.session ?? 'default'}`, caller: apiKeyCaller(c.get('caller').keyId), signal: controller.signal, attachments: attachmentInputs(body.attachments) };
      if (wantsEventStream(c)) return streamEvents(c, controller, () => council.consultStream({ ...options, message: body.message, agents: body.agents }));
      return c.json(await council.consult(body.message, body.agents, options));
    })
    .route('/meetings', v1MeetingsRoutes(deps))
    .get('/meetings/:id', async (c) => c.json(await council.meetings.get(c.req.param('id'), c.get('caller'))))
    .get('/openapi.json', (c) => c.json(openApiDocument));
}
