import { z } from 'zod';
import { chatBody, consultBody, meetingBody } from '../schemas.js';

const json = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
};
const error = { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } };
const errors = {
  '400': { description: 'Bad JSON, a bad field or an unknown field', content: { 'application/json': { schema: error } } },
  '401': { description: 'No API key, or an unknown or revoked one (error code `unauthorized`)', content: { 'application/json': { schema: error } } },
  '404': { description: 'Unknown agent, meeting type or meeting', content: { 'application/json': { schema: error } } },
  '413': { description: 'Body over 64 KB', content: { 'application/json': { schema: error } } },
  '415': { description: 'Body not sent as application/json', content: { 'application/json': { schema: error } } },
  '429': { description: 'Too many failed keys from this address; see Retry-After', content: { 'application/json': { schema: error } } },
  '502': { description: 'Ollama failed (unreachable, model missing)', content: { 'application/json': { schema: error } } },
};
const reply = {
  type: 'object',
  properties: { agent: { type: 'string' }, reply: { type: 'string' }, messageId: { type: ['string', 'null'] }, stats: { type: ['object', 'null'] } },
  required: ['agent', 'reply'],
};
const sse = { 'text/event-stream': { schema: { type: 'string', description: 'Server-sent events; event: turn_started|token|turn_done|error|meeting_started|topic_started|topic_summary|minutes|meeting_ended, data: the event as JSON' } } };

/** The /v1 API as OpenAPI 3.1, request bodies generated from the same zod schemas the routes use. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Council API',
    version: '1.0.0',
    description:
      'Talk to Council colleagues, consult several, and run meetings. Every call needs an API key (`council keys create <name>` or POST /admin/keys) as `Authorization: Bearer <key>`; sessions, memories and meetings belong to the key.',
  },
  components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key made with `council keys create <name>` or POST /admin/keys' } } },
  security: [{ apiKey: [] }],
  paths: {
    '/v1/agents': { get: { summary: 'List the agents', responses: { '200': { description: 'Agents', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } } } },
    '/v1/agents/{id}/chat': {
      post: {
        summary: 'Chat with one agent (JSON, or SSE with Accept: text/event-stream)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: json(chatBody) } } },
        responses: { '200': { description: 'The reply', content: { 'application/json': { schema: { ...reply, properties: { ...reply.properties, session: { type: 'string' } } } }, ...sse } }, ...errors },
      },
    },
    '/v1/consult': {
      post: {
        summary: 'Ask several agents at once (JSON, or SSE with Accept: text/event-stream)',
        requestBody: { required: true, content: { 'application/json': { schema: json(consultBody) } } },
        responses: { '200': { description: 'One reply per agent', content: { 'application/json': { schema: { type: 'array', items: reply } }, ...sse } }, ...errors },
      },
    },
    '/v1/meetings': {
      post: {
        summary: 'Run a meeting, streamed as server-sent events',
        requestBody: { required: true, content: { 'application/json': { schema: json(meetingBody) } } },
        responses: { '200': { description: 'The meeting events', content: sse }, ...errors },
      },
    },
    '/v1/meetings/{id}': {
      get: {
        summary: 'A meeting with its turns and minutes',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The meeting (only one this key created)', content: { 'application/json': { schema: { type: 'object' } } } }, '401': errors['401'], '404': errors['404'] },
      },
    },
  },
};
