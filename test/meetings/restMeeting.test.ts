import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlApp } from '../../control/createControlApp.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLogger } from '../../core/log.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { choicesOf, emptyMinutes, isMinutes, isPick, turnPrompts, waitFor } from './support/meetingHarness.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let app: ReturnType<typeof createControlApp>;
const adminToken = 'test-admin-token-0123456789abcdef';
const keys: Record<string, { id: string; key: string }> = {};

/** Test-side reading of JSON bodies, whose shape each assertion checks. */
const json = (res: Response): Promise<any> => res.json();
const call = (who: string, method: string, path: string, body?: unknown) =>
  app.request(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }), headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[who]?.key ?? adminToken}` } });

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ADMIN_TOKEN: adminToken } });
  const log = createLogger('silent');
  app = createControlApp({ council: tc.council, log, botStatus: () => ({ configured: false, connected: false }), jobs: createJobs({ council: tc.council, log }), readinessCacheMs: 0 });
  for (const name of ['ana', 'stranger']) keys[name] = await json(await call('admin', 'POST', '/admin/keys', { name }));
  fake.setResponder((req) => {
    if (isMinutes(req)) return emptyMinutes({ action_items: [{ owner: `key:${keys.ana!.id}`, task: 'Publish the API changelog', source_turns: [2] }] });
    if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go' });
    return 'A careful point about the API.';
  });
});
afterAll(async () => {
  await tc.council.meetings.runner.stop(1_000);
  await tc.dispose();
  await fake.stop();
});

const statusOf = async (id: string) => (await json(await call('ana', 'GET', `/v1/meetings/${id}`))).status;

describe('meetings over REST', () => {
  it('takes a message from the key, pauses and resumes, and lists the action item the key owns', async () => {
    fake.setLatency({ ttftMs: 0, tokenMs: 5 });
    const created = await json(await call('ana', 'POST', '/v1/meetings', { type: 'design_review', independent: false, title: 'API v3', topics: ['Versioning'], participants: ['backend_developer', 'qa_engineer'] }));
    const said = await call('ana', 'POST', `/v1/meetings/${created.id}/messages`, { text: 'Sofia, how do we test old clients?' });
    expect(said.status).toBe(202);
    expect(await json(said)).toMatchObject({ speaker: 'ana' });
    expect((await call('stranger', 'POST', `/v1/meetings/${created.id}/messages`, { text: 'hi' })).status).toBe(404);
    expect((await call('ana', 'POST', `/v1/meetings/${created.id}/messages`, { text: '' })).status).toBe(400);

    await waitFor('two stored turns', async () => (await tc.council.getMeeting(created.id)).turns.filter((t) => t.kind !== 'human').length >= 2);
    expect((await call('ana', 'POST', `/v1/meetings/${created.id}/pause`)).status).toBe(202);
    await waitFor('the pause', async () => (await statusOf(created.id)) === 'paused');
    const requests = fake.requests.length;
    const since = Date.now();
    await waitFor('a quiet stretch', () => Date.now() - since >= 300 || fake.requests.length !== requests);
    expect(fake.requests.length).toBe(requests);
    expect((await call('ana', 'POST', `/v1/meetings/${created.id}/resume`)).status).toBe(202);
    await waitFor('the end', async () => (await statusOf(created.id)) === 'completed');
    fake.setLatency({ tokenMs: 0 });

    const view = await tc.council.getMeeting(created.id);
    const human = view.turns.find((t) => t.kind === 'human')!;
    expect(human).toMatchObject({ speaker: 'ana', speakerId: `key:${keys.ana!.id}` });
    // Posted before the facilitator opened, so Sofia (qa_engineer) answers in the first contribution slot.
    expect(view.turns.find((t) => t.seq > human.seq && t.kind === 'contribution')!.agent).toBe('qa_engineer');
    expect(view.turns.map((t) => t.seq)).toEqual(view.turns.map((_, i) => i + 1));
    expect(turnPrompts(fake).at(-1)).toContain('how do we test old clients');

    const mine = await json(await call('ana', 'GET', '/v1/actions?mine=1'));
    expect(mine).toEqual([expect.objectContaining({ task: 'Publish the API changelog', ownerKind: 'human', ownerName: 'ana', sourceTurns: [2] })]);
    expect(await json(await call('stranger', 'GET', '/v1/actions?status=all'))).toEqual([]);
    expect((await call('ana', 'GET', '/v1/actions?status=later')).status).toBe(400);
    expect((await call('stranger', 'POST', `/v1/actions/${mine[0].id}/done`)).status).toBe(404);
    expect(await json(await call('ana', 'POST', `/v1/actions/${mine[0].id}/done`))).toMatchObject({ status: 'done', doneBy: `key:${keys.ana!.id}` });
    expect(await json(await call('ana', 'GET', '/v1/actions'))).toEqual([]);
  });

  it('takes independent and models in the create body, stores them and runs with them; refuses bad ones with a 400', async () => {
    fake.addModel('qwen2.5');
    const bad = [
      { independent: 'yes' },
      { models: { backend_developer: 'qwen 2.5' } },
      { models: { backend_developer: 'phi4' } },
      { models: { cto: 'qwen2.5' } },
    ];
    for (const extra of bad) {
      const refused = await call('ana', 'POST', '/v1/meetings', { type: 'code_review', title: 'Bad', topics: ['x'], participants: ['backend_developer', 'qa_engineer'], ...extra });
      expect(refused.status, JSON.stringify(extra)).toBe(400);
      expect((await json(refused)).error.message).not.toContain('\n');
    }
    // A code review has no independent positions in the catalogue: asked for here.
    const created = await json(await call('ana', 'POST', '/v1/meetings', { type: 'code_review', title: 'Own views', topics: ['The diff'], participants: ['backend_developer', 'qa_engineer'], independent: true, models: { backend_developer: 'qwen2.5' } }));
    await waitFor('the end', async () => (await statusOf(created.id)) === 'completed');
    const view = await json(await call('ana', 'GET', `/v1/meetings/${created.id}`));
    expect(view).toMatchObject({ independent: true, models: { backend_developer: 'qwen2.5' } });
    expect(view.turns.filter((t: { kind: string }) => t.kind === 'position').map((t: { agent: string; model: string }) => [t.agent, t.model])).toEqual([['backend_developer', 'qwen2.5'], ['qa_engineer', 'llama3.2']]);
    // And the other way: an architecture review without them.
    const open = await json(await call('ana', 'POST', '/v1/meetings', { type: 'architecture_review', title: 'Open', topics: ['x'], participants: ['backend_developer', 'qa_engineer'], independent: false }));
    await waitFor('the end', async () => (await statusOf(open.id)) === 'completed');
    const openView = await json(await call('ana', 'GET', `/v1/meetings/${open.id}`));
    expect(openView.independent).toBe(false);
    expect(openView.turns.some((t: { kind: string }) => t.kind === 'position')).toBe(false);
  });

  it('cancels only the key\'s own meeting, and refuses to pause a finished one', async () => {
    const created = await json(await call('ana', 'POST', '/v1/meetings', { type: 'design_review', independent: false, title: 'Cancel me', topics: ['x'], participants: ['backend_developer', 'qa_engineer'] }));
    expect((await call('stranger', 'POST', `/v1/meetings/${created.id}/cancel`)).status).toBe(404);
    expect((await call('ana', 'POST', `/v1/meetings/${created.id}/cancel`)).status).toBe(202);
    await waitFor('the cancel', async () => (await statusOf(created.id)) === 'cancelled');
    const other = await json(await call('ana', 'POST', '/v1/meetings', { type: 'design_review', independent: false, title: 'Stop me', topics: ['x'], participants: ['backend_developer', 'qa_engineer'] }));
    expect((await call('stranger', 'POST', `/v1/meetings/${other.id}/stop`)).status).toBe(404);
    const stop = await call('ana', 'POST', `/v1/meetings/${other.id}/stop`);
    expect(stop.status).toBe(202);
    expect((await json(stop)).requested).toBe('stop');
    await waitFor('the stop', async () => (await statusOf(other.id)) === 'cancelled');
    const refused = await call('ana', 'POST', `/v1/meetings/${created.id}/pause`);
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.code).toBe('meeting_state');
  });
});
