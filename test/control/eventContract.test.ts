import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createControlApp } from '../../control/createControlApp.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { choicesOf, emptyMinutes, isMinutes, isPick, waitFor } from '../meetings/support/meetingHarness.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
let key = '';
let published: z.ZodType;
const adminToken = 'test-admin-token-0123456789abcdef';

interface Frame {
  id?: string;
  event?: string;
  data: string;
}

/** Every frame of an SSE body, as a client's parser reads it (blank line ends a frame; `:` lines are comments). */
function framesOf(body: string): Frame[] {
  return body
    .split(/\n\n/)
    .filter((block) => block.trim() && !block.split('\n').every((line) => line.startsWith(':')))
    .map((block) => {
      const frame: Frame = { data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'data') frame.data += frame.data ? `\n${value}` : value;
        else if (field === 'event') frame.event = value;
        else if (field === 'id') frame.id = value;
      }
      return frame;
    });
}

const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }), headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers } });

/** Each frame parses against the CouncilEvent schema the OpenAPI document publishes, and its `event:` is its type. */
function checkFrames(frames: Frame[]): Array<{ type: string; seq?: number }> {
  expect(frames.length).toBeGreaterThan(0);
  return frames.map((frame) => {
    const parsed = published.safeParse(JSON.parse(frame.data));
    expect(parsed.success, `${frame.event}: ${frame.data.slice(0, 300)}\n${parsed.success ? '' : parsed.error.message}`).toBe(true);
    const event = parsed.data as { type: string; seq?: number };
    expect(frame.event).toBe(event.type);
    if (frame.id !== undefined) expect(Number(frame.id)).toBe(event.seq);
    return event;
  });
}

beforeAll(async () => {
  fake = await startFakeOllama();
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken } });
  const log = createLogger('silent');
  app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
  const created = await app.request('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'contract' }), headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } });
  key = ((await created.json()) as { key: string }).key;
  fake.setResponder((req) => {
    if (isMinutes(req)) return emptyMinutes({ decisions: [{ decision: 'Ship it', rationale: 'tested', source_turns: [1] }] });
    if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' });
    return 'A short contribution.';
  });
  const doc = (await (await request('GET', '/v1/openapi.json')).json()) as { components: { schemas: { CouncilEvent: Record<string, unknown> } } };
  published = z.fromJSONSchema(doc.components.schemas.CouncilEvent as never);
});
afterAll(async () => {
  await tc.council.meetings.runner.stop(1_000);
  await tc.dispose();
  await fake.stop();
});

describe('every stream speaks the one published event vocabulary', () => {
  it('chat over SSE', async () => {
    const res = await request('POST', '/v1/agents/backend_developer/chat', { message: 'Hello?' }, { accept: 'text/event-stream' });
    const types = checkFrames(framesOf(await res.text())).map((e) => e.type);
    expect(types[0]).toBe('turn_started');
    expect(types.at(-1)).toBe('turn_done');
  });

  it('consult over SSE', async () => {
    const res = await request('POST', '/v1/consult', { message: 'Monolith or services?', agents: ['backend_developer', 'solutions_architect'] }, { accept: 'text/event-stream' });
    const done = checkFrames(framesOf(await res.text())).filter((e) => e.type === 'turn_done');
    expect(done).toHaveLength(2);
  });

  it('a failed chat ends with the one error frame', async () => {
    fake.failNext({ status: 404, error: "model 'llama3.2' not found, try pulling it first", path: 'chat', count: 5 });
    const res = await request('POST', '/v1/agents/backend_developer/chat', { message: 'Fail?' }, { accept: 'text/event-stream' });
    const events = checkFrames(framesOf(await res.text()));
    fake.failNext({ count: 0 });
    expect(events.at(-1)?.type).toBe('error');
    expect(events.map((e) => e.type)).not.toContain('turn_done');
  });

  it('a meeting replays its stored turns as turn_done (id = seq), then its minutes and end; Last-Event-ID resumes after a turn', async () => {
    const created = (await (await request('POST', '/v1/meetings', { type: 'design_review', independent: false, title: 'Contract', topics: ['Versioning'], participants: ['backend_developer', 'qa_engineer'] })).json()) as { id: string };
    await waitFor('the meeting to end', async () => ['completed', 'failed'].includes((await tc.council.getMeeting(created.id)).status));
    const all = checkFrames(framesOf(await (await request('GET', `/v1/meetings/${created.id}/events`)).text()));
    const turns = all.filter((e) => e.type === 'turn_done');
    expect(turns.length).toBeGreaterThanOrEqual(2);
    expect(turns.map((t) => t.seq)).toEqual([...turns.map((t) => t.seq)].sort((a, b) => a! - b!));
    expect(all.map((e) => e.type)).toContain('topic_closed');
    expect(all.slice(-2).map((e) => e.type)).toEqual(['minutes', 'meeting_ended']);

    const after = turns[0]!.seq!;
    const rest = checkFrames(framesOf(await (await request('GET', `/v1/meetings/${created.id}/events`, undefined, { 'last-event-id': String(after) })).text()));
    expect(rest.filter((e) => e.type === 'turn_done').map((t) => t.seq)).toEqual(turns.slice(1).map((t) => t.seq));
  });

  it('GET /v1/meetings lists the key\'s own meetings and nobody else\'s', async () => {
    const mine = (await (await request('GET', '/v1/meetings')).json()) as Array<{ title: string }>;
    expect(mine.map((m) => m.title)).toContain('Contract');
    await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Not the key\'s', topics: ['x'], participants: ['backend_developer'] });
    const again = (await (await request('GET', '/v1/meetings')).json()) as Array<{ title: string }>;
    expect(again.map((m) => m.title)).not.toContain('Not the key\'s');
    expect((await request('GET', '/v1/meetings?limit=0')).status).toBe(400);
  });
});
