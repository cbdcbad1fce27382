/**
 * /ask through a real discord.js client on the Discord stand-in, with a model
 * that takes 800 ms to its first token: time from the interaction to the first
 * visible text against the model's time to first token (target <= +1 s), and
 * edits per message per second while streaming (target <= 1).
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
await bot.stop();
await tc.dispose();
await discord.stop();
await ollama.stop();
