import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pickMaxTokens } from '../../core/meetings/engine/askFacilitator.js';
import { defaultRolesDir } from '../../core/paths.js';
import { startFakeOllama, type FakeChatRequest } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { choicesOf, consume, emptyMinutes, isMinutes, isPick } from './support/meetingHarness.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;
let rolesDir: string;

/** roles/ with Sofia (qa_engineer) answering with her own model. */
function rolesWith(model: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'council-roles-'));
  cpSync(defaultRolesDir, dir, { recursive: true });
  const file = join(dir, 'qa_engineer.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^---\n/, `---\nmodel: ${model}\n`));
  return dir;
}

const speaker = (req: FakeChatRequest, name: string) => req.messages[0]!.content.startsWith(`You are ${name}`);
const chats = () => fake.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as FakeChatRequest);

beforeAll(async () => {
  fake = await startFakeOllama({ models: ['llama3.2', 'qwen2.5', 'mistral', { name: 'nomic-embed-text', kind: 'embedding' }] });
  rolesDir = rolesWith('mistral');
  tc = await openTestCouncil({ ollamaUrl: fake.url, env: { ROLES_DIR: rolesDir, OLLAMA_NUM_PARALLEL: '1' } });
});
afterAll(async () => {
  await tc.dispose();
  await fake.stop();
  rmSync(rolesDir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.setResponder((req) => {
    if (isMinutes(req)) return emptyMinutes();
    if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans' && c !== 'close'), reason: 'go', agreement: false, agreed_on: '' });
    return `A point from ${req.model}.`;
  });
  fake.setLatency({ ttftMs: 5, tokenMs: 1 });
  fake.resetStats();
});

describe('a council of more than one model', () => {
  it('asks each participant with its model (meeting > role > default), stores it on every turn, shares one backend slot and lists it in the minutes', async () => {
    // Architecture review: independent positions, asked at once, so both models queue for the one slot together.
    const meeting = await tc.council.createMeeting({ type: 'architecture_review', title: 'Two models', topics: ['Queues'], participants: ['backend_developer', 'qa_engineer'], models: { 'Priya Raman': 'qwen2.5' } });
    expect(meeting.models).toEqual({ backend_developer: 'qwen2.5' });
    const { done } = consume(tc.council.runMeeting(meeting.id));
    const events = await done;
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });

    const turns = chats().filter((r) => !r.format);
    expect(turns.filter((r) => speaker(r, 'Priya Raman')).map((r) => r.model)).toEqual(expect.arrayContaining(['qwen2.5']));
    expect(new Set(turns.filter((r) => speaker(r, 'Priya Raman')).map((r) => r.model))).toEqual(new Set(['qwen2.5']));
    expect(new Set(turns.filter((r) => speaker(r, 'Sofia Rossi')).map((r) => r.model))).toEqual(new Set(['mistral']));
    expect(new Set(turns.filter((r) => speaker(r, 'Elena Petrova')).map((r) => r.model))).toEqual(new Set(['llama3.2']));
    // Both models went through the one fair limiter of the backend: never two generations at once with one slot.
    expect(fake.maxInFlight).toBe(1);

    const view = await tc.council.getMeeting(meeting.id);
    for (const turn of view.turns.filter((t) => t.agent)) {
      expect(turn.model).toBe(turn.agent === 'backend_developer' ? 'qwen2.5' : turn.agent === 'qa_engineer' ? 'mistral' : 'llama3.2');
    }
    expect(view.turns.filter((t) => t.kind === 'position').map((t) => t.model)).toEqual(['qwen2.5', 'mistral']);
    expect(view.minutes!.models).toEqual({ solutions_architect: ['llama3.2'], backend_developer: ['qwen2.5'], qa_engineer: ['mistral'] });
    const minutes = events.find((e) => e.type === 'minutes');
    expect(minutes && 'markdown' in minutes ? minutes.markdown : '').toContain('## Models\n\n- Elena Petrova (solutions_architect): llama3.2\n- Priya Raman (backend_developer): qwen2.5\n- Sofia Rossi (qa_engineer): mistral');
    const done2 = events.filter((e) => e.type === 'turn_done');
    expect(done2.every((e) => 'stats' in e && e.stats?.model)).toBe(true);
  });

  it('refuses a model Ollama does not have, or one for someone not in the meeting, in one line', async () => {
    await expect(tc.council.createMeeting({ type: 'design_review', title: 'x', topics: ['y'], participants: ['backend_developer', 'qa_engineer'], models: { backend_developer: 'phi4' } })).rejects.toThrow(/^models: Ollama at .* does not have phi4; run: ollama pull phi4$/);
    await expect(tc.council.createMeeting({ type: 'design_review', title: 'x', topics: ['y'], participants: ['backend_developer', 'qa_engineer'], models: { cto: 'qwen2.5' } })).rejects.toThrow('models: cto is not in this meeting');
  });

  it('names a missing role model in readiness with its pull line, and its turns fall back to MODEL_NAME, stored as such', async () => {
    const missing = rolesWith('phi4');
    const other = await openTestCouncil({ ollamaUrl: fake.url, env: { ROLES_DIR: missing, FACILITATOR_MODEL: 'qwen2.5' } });
    try {
      const checks = await other.council.checks();
      const models = checks.find((c) => c.name === 'models')!;
      expect(models.ok).toBe(false);
      expect(models.problem).toBe(`Ollama at ${fake.url} is missing phi4 (role qa_engineer); run: ollama pull phi4`);
      expect(models.models).toEqual(['llama3.2 (default)', 'nomic-embed-text (embedding)', 'qwen2.5 (facilitator)', 'phi4 (role qa_engineer)']);
      // The backend itself is fine: only the models check fails.
      expect(checks.find((c) => c.name.startsWith('ollama '))!.ok).toBe(true);

      const meeting = await other.council.createMeeting({ type: 'design_review', title: 'Fallback', topics: ['y'], participants: ['backend_developer', 'qa_engineer'] });
      const events = await consume(other.council.runMeeting(meeting.id)).done;
      expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
      const view = await other.council.getMeeting(meeting.id);
      expect(view.turns.filter((t) => t.agent === 'qa_engineer').map((t) => t.model)).toContain('llama3.2');
      expect(view.turns.filter((t) => t.agent === 'qa_engineer').every((t) => t.model === 'llama3.2')).toBe(true);
      expect(chats().some((r) => r.model === 'phi4')).toBe(true);
      // Picks went to the facilitator model, their output capped (num_predict).
      expect(chats().filter(isPick).length).toBeGreaterThan(0);
      expect(chats().filter(isPick).every((r) => r.model === 'qwen2.5' && (r.options as { num_predict?: number } | undefined)?.num_predict === pickMaxTokens)).toBe(true);
    } finally {
      await other.dispose();
      rmSync(missing, { recursive: true, force: true });
    }
  });
});
