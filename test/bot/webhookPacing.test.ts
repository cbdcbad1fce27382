import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBot } from '../../bot/startBot.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { PacedQueue } from '../../bot/functions/webhooks/pacedQueue.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { defaultResponder, startFakeOllama } from '../fakes/ollama/index.js';
import type { TestCouncil } from '../support/openTestCouncil.js';

describe('PacedQueue', () => {
  it('runs requests one at a time in order, at most `limit` per window, and a failure does not stall the line', async () => {
    // The queue's own clock, faked: each window is checked at its edge, whatever the machine's load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const line = new PacedQueue(2, 300, 0);
      const started: number[] = [];
      const settled = Promise.allSettled(
        [0, 1, 2, 3, 4, 5].map((i) =>
          line.run(async () => {
            started.push(i);
            if (i === 1) throw new Error('refused');
            return i;
          }),
        ),
      );
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual([0, 1]);
      await vi.advanceTimersByTimeAsync(299);
      expect(started).toEqual([0, 1]);
      await vi.advanceTimersByTimeAsync(1);
      expect(started).toEqual([0, 1, 2, 3]);
      await vi.advanceTimersByTimeAsync(299);
      expect(started).toEqual([0, 1, 2, 3]);
      await vi.advanceTimersByTimeAsync(1);
      expect(started).toEqual([0, 1, 2, 3, 4, 5]);
      const results = await settled;
      expect(results[1]!.status).toBe('rejected');
      expect(results[5]).toEqual({ status: 'fulfilled', value: 5 });
      expect(line.queued).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('colleagues sharing one webhook on the strict stand-in', () => {
  let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
  let discord: FakeDiscord;
  let tc: TestCouncil;
  let bot: RunningBot;
  let harness: BotHarness | undefined;

  beforeAll(async () => {
    harness = await startBotHarness({ ollama: { parallel: 6 }, env: { DISCORD_MAX_PER_USER: '5', DISCORD_MAX_PER_CHANNEL: '5', OLLAMA_NUM_PARALLEL: '6' } });
    ({ ollama, discord, tc, bot } = harness);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('a 5-agent consult plus a meeting in a thread of the same channel: no 429, at most 5 per 2 s per webhook, edits never go back', async () => {
    ollama.setLatency({ ttftMs: 100, tokenMs: 15 });
    // Consulted colleagues stream long answers (several edits each); the meeting's turns stay short so the test is about sharing, not length.
    ollama.setResponder((request) => (JSON.stringify(request.messages).includes('Split the monolith?') ? `Considered view: `.concat('we should weigh the trade-offs carefully. '.repeat(30)) : defaultResponder(request)));
    const since = Date.now();
    const consult = discord.sendSlashCommand({ name: 'consult', options: [{ name: 'message', type: 3, value: 'Split the monolith?' }, { name: 'agents', type: 3, value: 'solutions_architect,backend_developer,cto,qa_engineer,database_administrator' }] });
    discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'daily_standup' }, { name: 'title', type: 3, value: 'Paced standup' }, { name: 'topics', type: 3, value: 'Progress' }] }] });
    const done = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${consult.token}/messages/@original`) && String(c.body.content).includes('answered'), 120_000);
    const threadId = () => [...discord.state.channels.values()].find((c) => c.name === 'Paced standup')?.id;
    await discord.waitFor((c) => c.path === `/channels/${threadId()}/messages` && c.files.length > 0, 180_000);
    expect(String(done.body.content)).toBe('5 colleagues answered.');

    const burst = discord.calls.filter((c) => c.at >= since);
    expect(burst.filter((c) => c.status === 429)).toEqual([]);
    const hooks = new Map<string, number[]>();
    for (const call of burst) {
      const hook = /^\/webhooks\/(\d+)\/tok/.exec(call.path)?.[1];
      if (hook) hooks.set(hook, [...(hooks.get(hook) ?? []), call.at]);
    }
    expect(hooks.size).toBe(1);
    const times = [...hooks.values()][0]!;
    expect(times.some((t) => burst.some((c) => c.at === t && c.query.thread_id === threadId()))).toBe(true);
    const peak = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 2_000).length));
    expect(peak).toBeLessThanOrEqual(5);
    // Edits of one message reach Discord in the order they were made: streamed text only grows.
    const edits = new Map<string, number[]>();
    for (const call of burst.filter((c) => c.method === 'PATCH' && /^\/webhooks\/\d+\/tok[^/]+\/messages\/\d+$/.test(c.path) && c.status === 200)) edits.set(call.path, [...(edits.get(call.path) ?? []), String(call.body.content).length]);
    expect(edits.size).toBeGreaterThan(0);
    for (const lengths of edits.values()) expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
  }, 240_000);
});
