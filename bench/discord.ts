/**
 * /ask through a real discord.js client on the strict Discord stand-in (rate
 * limits, payload limits, permissions enforced), with a model that takes
 * 800 ms to its first token: time from the interaction to the first visible
 * text against the model's time to first token (target <= +1 s), and edits per
 * message per second while streaming (target <= 1). Then a burst, a 5-agent
 * /consult plus a meeting in a thread of the same channel: 429s received and
 * requests per 2 s per webhook at peak (Discord allows 5). Last, a meeting
 * shown in a thread against the same meeting run with no face: the wall time
 * showing it adds.
 *   npx tsx bench/discord.ts [--runs 10]
 */
import { parseArgs } from 'node:util';
import { startBot } from '../bot/startBot.js';
import { createLogger } from '../core/log.js';
import { startFakeDiscord } from '../test/fakes/discord/index.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';
import { openTestCouncil } from '../test/support/openTestCouncil.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const ttftMs = 800;
const ollama = await startFakeOllama({ parallel: 4 });
ollama.setLatency({ ttftMs, tokenMs: 20 });
ollama.setResponder(() => 'A long and careful answer about the trade-offs involved. '.repeat(25));
const discord = await startFakeDiscord();
const tc = await openTestCouncil({ ollamaUrl: ollama.url, env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId, DISCORD_MAX_PER_USER: '4' } });
const bot = await startBot({ council: tc.council, log: createLogger('silent') });

const firstText: number[] = [];
const editRates: number[] = [];
for (let run = 0; run < runs; run++) {
  const { token, sentAt } = discord.sendSlashCommand({ name: 'ask', options: [{ name: 'agent', type: 3, value: 'backend_developer' }, { name: 'message', type: 3, value: `Question ${run}` }] });
  const first = await discord.waitFor((c) => c.at >= sentAt && c.method === 'POST' && /^\/webhooks\/\d+\/tok/.test(c.path) && String(c.body.content ?? '').trim() !== '', 30_000);
  await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`), 30_000);
  firstText.push(first.at - sentAt);
  const edits = discord.calls.filter((c) => c.at >= sentAt && c.method === 'PATCH' && /^\/webhooks\/\d+\/tok[^/]+\/messages\/\d+$/.test(c.path));
  const byMessage = new Map<string, number[]>();
  for (const edit of edits) byMessage.set(edit.path, [...(byMessage.get(edit.path) ?? []), edit.at]);
  for (const times of byMessage.values()) {
    for (let i = 1; i < times.length; i++) editRates.push(1000 / Math.max(1, times[i]! - times[i - 1]!));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const max = (xs: number[]) => Math.max(...xs);
console.log(`${runs} /ask interactions, model time to first token ${ttftMs} ms`);
console.log(`interaction -> first visible text: median ${median(firstText).toFixed(0)} ms, max ${max(firstText).toFixed(0)} ms; over the model's TTFT: median +${(median(firstText) - ttftMs).toFixed(0)} ms (target <= +1000 ms)`);
console.log(`edits per message per second: max ${max(editRates).toFixed(2)}, median ${median(editRates).toFixed(2)} over ${editRates.length} edit gaps (target <= 1)`);

const burstStart = Date.now();
const before429 = discord.tooManyRequests;
ollama.setLatency({ ttftMs: 200, tokenMs: 10 });
ollama.setResponder(null);
const consult = discord.sendSlashCommand({ name: 'consult', options: [{ name: 'message', type: 3, value: 'How should we split the monolith?' }, { name: 'agents', type: 3, value: 'solutions_architect,backend_developer,cto,qa_engineer,database_administrator' }] });
discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'daily_standup' }, { name: 'title', type: 3, value: 'Bench standup' }, { name: 'topics', type: 3, value: 'Progress; Blockers' }] }] });
await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${consult.token}/messages/@original`), 120_000);
const threadId = () => [...discord.state.channels.values()].find((c) => c.name === 'Bench standup')?.id;
await discord.waitFor((c) => c.path === `/channels/${threadId()}/messages` && c.files.length > 0, 300_000);
const burstCalls = discord.calls.filter((c) => c.at >= burstStart);
const byHook = new Map<string, number[]>();
for (const call of burstCalls) {
  const hook = /^\/webhooks\/(\d+)\/tok/.exec(call.path)?.[1];
  if (hook) byHook.set(hook, [...(byHook.get(hook) ?? []), call.at]);
}
const peak = Math.max(0, ...[...byHook.values()].map((times) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 2_000).length))));
const burstEdits = new Map<string, number[]>();
for (const call of burstCalls.filter((c) => c.method === 'PATCH' && /^\/webhooks\/\d+\/tok[^/]+\/messages\/\d+$/.test(c.path))) burstEdits.set(call.path, [...(burstEdits.get(call.path) ?? []), call.at]);
const burstRates = [...burstEdits.values()].flatMap((times) => times.slice(1).map((t, i) => 1000 / Math.max(1, t - times[i]!)));
console.log(`burst (5-agent consult + meeting in a thread of the same channel): ${((Date.now() - burstStart) / 1000).toFixed(1)} s, ${burstCalls.length} Discord requests`);
console.log(`429s received: ${discord.tooManyRequests - before429} in the burst, ${discord.tooManyRequests} in the whole run`);
console.log(`requests per 2 s per webhook at peak: ${peak} (Discord allows 5)`);
console.log(`edits per message per second in the burst: max ${burstRates.length ? max(burstRates).toFixed(2) : '0'}, median ${burstRates.length ? median(burstRates).toFixed(2) : '0'}`);

// The same meeting shown in a thread and run with no face: what showing it costs the meeting's wall time.
ollama.setLatency({ ttftMs: 150, tokenMs: 8 });
const agenda = ['Retries', 'Timeouts'];
const participants = 'backend_developer,qa_engineer,site_reliability_engineer';
const inThread = async (title: string) => {
  const sent = discord.sendSlashCommand({ name: 'meeting', options: [{ name: 'start', type: 1, options: [{ name: 'type', type: 3, value: 'design_review' }, { name: 'independent', type: 5, value: false }, { name: 'title', type: 3, value: title }, { name: 'topics', type: 3, value: agenda.join('; ') }, { name: 'participants', type: 3, value: participants }] }] });
  const thread = () => [...discord.state.channels.values()].find((c) => c.name === title)?.id;
  await discord.waitFor((c) => c.path === `/channels/${thread()}/messages` && c.files.some((f) => f.name === 'minutes.md'), 300_000);
  return Date.now() - sent.sentAt;
};
const headless = async (title: string) => {
  const started = Date.now();
  const meeting = await tc.council.createMeeting({ type: 'design_review', title, description: 'bench', participants: participants.split(','), independent: false });
  await tc.council.conductMeeting(meeting, agenda);
  return Date.now() - started;
};
const threadMs: number[] = [];
const headlessMs: number[] = [];
for (let run = 0; run < 3; run++) {
  threadMs.push(await inThread(`Bench thread meeting ${run}`));
  headlessMs.push(await headless(`Bench headless meeting ${run}`));
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
console.log(`a design review (3 participants, 2 topics) in a Discord thread over the same meeting with no face: ${(sum(threadMs) / sum(headlessMs)).toFixed(2)} (${(sum(threadMs) / 3 / 1000).toFixed(1)} s vs ${(sum(headlessMs) / 3 / 1000).toFixed(1)} s, 3 runs each, alternated)`);

await bot.stop();
await tc.dispose();
await discord.stop();
await ollama.stop();
