import { z } from 'zod';
import { chatBody, consultBody, meetingBody } from '../schemas.js';

const json = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
};
const error = { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } };
const errors = {
  '400': { description: 'Bad JSON or a bad field', content: { 'application/json': { schema: error } } },
  '404': { description: 'Unknown agent, meeting type or meeting', content: { 'application/json': { schema: error } } },
  '413': { description: 'Body over 64 KB', content: { 'application/json': { schema: error } } },
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
  info: { title: 'Council API', version: '1.0.0', description: 'Talk to Council colleagues, consult several, and run meetings.' },
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
        responses: { '200': { description: 'The meeting', content: { 'application/json': { schema: { type: 'object' } } } }, '404': errors['404'] },
      },
    },
  },
};
