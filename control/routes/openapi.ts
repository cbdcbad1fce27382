import { z } from 'zod';
import { councilEventSchema, toolCallRecordSchema } from '../../core/eventSchema.js';
import { chatBody, consultBody, keyToolsBody, meetingBody, meetingMessageBody } from '../schemas.js';

const json = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
};
const error = { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } };
const memoryId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } } as const;
const forbidden = { description: 'Only the person who said it (or the admin) may change it', content: { 'application/json': { schema: error } } };

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
  properties: {
    agent: { type: 'string' },
    reply: { type: 'string' },
    messageId: { type: ['string', 'null'] },
    stats: { type: ['object', 'null'] },
    toolCalls: { type: 'array', description: 'The tools this answer called, as stored on its message (never the output itself: its size and sha256)', items: json(toolCallRecordSchema) },
  },
  required: ['agent', 'reply', 'toolCalls'],
};
const meetingId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const accepted = { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } }, required: ['id', 'status'] };
const conflict = { description: 'The meeting is not in a state that allows this (e.g. already completed)', content: { 'application/json': { schema: error } } };
/** Every stream speaks the core's one vocabulary: each frame's `event:` is the event's type and its `data:` the event as JSON. */
const sse = {
  'text/event-stream': {
    schema: { $ref: '#/components/schemas/CouncilEvent', description: 'Server-sent events: each frame is `event: <type>` and `data: <one CouncilEvent as JSON>`; stored meeting turns carry `id: <turn number>`' },
  },
};

/** The /v1 API as OpenAPI 3.1, request bodies generated from the same zod schemas the routes use. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Council API',
    version: '1.0.0',
    description:
      'Talk to Council colleagues, consult several, and run meetings. Every call needs an API key (`council keys create <name>` or POST /admin/keys) as `Authorization: Bearer <key>`; sessions, memories and meetings belong to the key.',
  },
  components: {
    schemas: { CouncilEvent: json(councilEventSchema) },
    securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'An API key made with `council keys create <name>` or POST /admin/keys' },
      adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, for the operator routes under /admin' },
    },
  },
  security: [{ apiKey: [] }],
  paths: {
    '/admin/keys/{id}': {
      patch: {
        summary: 'Set the tools an API key may call (operator only)',
        description:
          'A key calls no tool until an admin gives it some here; its chats, consults and meetings may then call exactly these, without approval. Each is pinned to its definition as offered now: a server that changes the definition later disables it until it is set again. An empty list takes every tool away. Audited as key.tools.',
        security: [{ adminToken: [] }],
        parameters: [{ name: 'id', in: 'path', required: true, description: 'The key id or name', schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: json(keyToolsBody) } } },
        responses: {
          '200': { description: 'The key with its pinned tools (`<server>.<tool>@<sha256>`)', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, tools: { type: 'array', items: { type: 'string' } } }, required: ['id', 'name', 'tools'] } } } },
          '400': { description: 'A tool no server offers now, or a bad body', content: { 'application/json': { schema: error } } },
          '401': { description: 'No or a wrong ADMIN_TOKEN', content: { 'application/json': { schema: error } } },
          '404': { description: 'No active key with that id or name', content: { 'application/json': { schema: error } } },
        },
      },
    },
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
      get: {
        summary: 'The meetings this key created, newest first',
        parameters: [
          { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['pending', 'running', 'paused', 'interrupted', 'completed', 'cancelled', 'failed'] } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
        ],
        responses: { '200': { description: 'Meetings (without their turns)', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } }, '400': errors['400'], '401': errors['401'] },
      },
      post: {
        summary: 'Create a meeting and start it in the background; follow it at its events URL',
        requestBody: { required: true, content: { 'application/json': { schema: json(meetingBody) } } },
        responses: { '202': { description: 'Accepted: {id, status, location, events}, with a Location header', content: { 'application/json': { schema: accepted } } }, ...errors },
      },
    },
    '/v1/meetings/{id}/events': {
      get: {
        summary: 'The meeting as server-sent events: stored turns first (event id = turn number; send Last-Event-ID to resume after it), then live ones until it ends. Leaving never stops the meeting.',
        parameters: [meetingId, { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
        responses: { '200': { description: 'The meeting events', content: sse }, '401': errors['401'], '404': errors['404'] },
      },
    },
    '/v1/meetings/{id}/messages': {
      post: {
        summary: "Speak in the meeting as this key's name: heard by every later turn",
        parameters: [meetingId],
        requestBody: { required: true, content: { 'application/json': { schema: json(meetingMessageBody) } } },
        responses: { '202': { description: 'Stored; the runner makes it a turn before its next turn', content: { 'application/json': { schema: { type: 'object' } } } }, ...errors, '409': conflict },
      },
    },
    ...Object.fromEntries(
      (
        [
          ['pause', 'Stop before the next turn; the turn in flight finishes and is stored'],
          ['resume', 'Continue a paused or interrupted meeting from its next turn'],
          ['cancel', 'End the meeting for good; the turns so far are kept'],
          ['stop', 'Same as cancel (the Stop button)'],
        ] as const
      ).map(([action, summary]) => [
        `/v1/meetings/{id}/${action}`,
        { post: { summary, parameters: [meetingId], responses: { '202': { description: 'Requested', content: { 'application/json': { schema: accepted } } }, '401': errors['401'], '404': errors['404'], '409': conflict } } },
      ]),
    ),
    '/v1/actions': {
      get: {
        summary: "Action items of this key's meetings and those it owns",
        parameters: [
          { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['open', 'done', 'all'] } },
          { name: 'mine', in: 'query', required: false, schema: { type: 'string', enum: ['1', 'true', '0', 'false'] } },
          { name: 'meeting', in: 'query', required: false, schema: { type: 'string', format: 'uuid' } },
        ],
        responses: { '200': { description: 'Action items', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } }, '400': errors['400'], '401': errors['401'] },
      },
    },
    '/v1/actions/{id}/done': {
      post: {
        summary: 'Mark an action item done',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The item, now done', content: { 'application/json': { schema: { type: 'object' } } } }, '401': errors['401'], '404': errors['404'] },
      },
    },
    '/v1/memories': {
      get: {
        summary: 'Memories this key said (current ones unless superseded=1), newest first',
        parameters: [
          { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
          { name: 'pageSize', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'superseded', in: 'query', required: false, schema: { type: 'string', enum: ['1', 'true', '0', 'false'] } },
        ],
        responses: { '200': { description: 'Memories', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } }, '400': errors['400'], '401': errors['401'] },
      },
    },
    '/v1/memories/{id}': {
      get: {
        summary: 'One memory this key may see',
        parameters: [memoryId],
        responses: { '200': { description: 'The memory', content: { 'application/json': { schema: { type: 'object' } } } }, '401': errors['401'], '404': errors['404'] },
      },
      patch: {
        summary: 'Rewrite a memory this key said',
        parameters: [memoryId],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['content'], additionalProperties: false, properties: { content: { type: 'string', minLength: 3, maxLength: 2000 } } } } } },
        responses: { '200': { description: 'The memory as now kept', content: { 'application/json': { schema: { type: 'object' } } } }, '400': errors['400'], '401': errors['401'], '403': forbidden, '404': errors['404'] },
      },
      delete: {
        summary: 'Forget a memory this key said',
        parameters: [memoryId],
        responses: { '200': { description: 'Forgotten', content: { 'application/json': { schema: { type: 'object' } } } }, '401': errors['401'], '403': forbidden, '404': errors['404'] },
      },
    },
    '/v1/messages/{id}/memories': {
      get: {
        summary: 'Why this answer: the memories its prompt held that this key may see',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': { description: 'The memories, in prompt order, and how many were hidden', content: { 'application/json': { schema: { type: 'object' } } } }, '401': errors['401'], '404': errors['404'] },
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
