/**
 * What a tool call adds to an answer, side by side on the Ollama fake (300 ms
 * to first token): a chat with no tool, one that calls the built-in
 * council.search_decisions (PGlite), and one that calls everything.echo on
 * @modelcontextprotocol/server-everything over stdio. A tool answer costs two
 * model calls but recalls, stores and embeds once, so it costs less than two
 * plain answers; what it adds over one is the second model call and the tool.
 *   npx tsx bench/toolLoop.ts [--runs 7]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliCaller } from '../core/memory/scope.js';
import { isExtractionRequest, startFakeOllama, type FakeReply } from '../test/fakes/ollama/index.js';
import { openTestCouncil } from '../test/support/openTestCouncil.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const folder = mkdtempSync(join(tmpdir(), 'council-bench-tools-'));
writeFileSync(join(folder, 'mcp.json'), JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [join(process.cwd(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'] } } }));

const fake = await startFakeOllama();
fake.setLatency({ ttftMs: 300, tokenMs: 5, embedMs: 5, jitterMs: 0 });
let tool = '';
fake.setResponder((request): string | FakeReply => {
  if (isExtractionRequest(request)) return '{"memories": []}';
  if (request.messages.some((m) => m.role === 'tool')) return 'Here is what the tool said, in short.';
  if ((request.tools ?? []).length > 0) return { tool_calls: [{ function: { name: tool, arguments: tool === 'everything.echo' ? { message: 'hello' } : { query: 'retries' } } }] };
  return 'Here is my answer, in short.';
});
const tc = await openTestCouncil({ ollamaUrl: fake.url, env: { MCP_CONFIG: join(folder, 'mcp.json') } });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const plain: number[] = [];
const builtin: number[] = [];
const mcp: number[] = [];
const callMs: Record<string, number[]> = { 'council.search_decisions': [], 'everything.echo': [] };
const answer = async (run: number, tools?: string[]) => {
  const started = performance.now();
  for await (const event of tc.council.chatStream({ agent: 'backend_developer', message: `What did we decide about retries? (${run})`, caller: cliCaller('bench'), scope: `bench:${tools?.[0] ?? 'plain'}:${run}`, ...(tools ? { tools } : {}) })) {
    if (event.type === 'tool_call') callMs[event.tool]!.push(event.durationMs);
  }
  return performance.now() - started;
};
// One warm-up each: the MCP server starts on first use.
tool = 'everything.echo';
await answer(-1, ['everything.echo']);
for (let run = 0; run < runs; run++) {
  plain.push(await answer(run));
  tool = 'council.search_decisions';
  builtin.push(await answer(run, ['council.search_decisions']));
  tool = 'everything.echo';
  mcp.push(await answer(run, ['everything.echo']));
}
callMs['everything.echo']!.shift();
console.log(`plain chat (1 model call):            median ${median(plain).toFixed(0)} ms over ${runs} runs`);
console.log(`with council.search_decisions (2 calls): median ${median(builtin).toFixed(0)} ms; the call itself median ${median(callMs['council.search_decisions']!).toFixed(1)} ms`);
console.log(`with everything.echo over stdio (2 calls): median ${median(mcp).toFixed(0)} ms; the call itself median ${median(callMs['everything.echo']!).toFixed(1)} ms`);
console.log(`added to a plain answer: built-in ${(median(builtin) - median(plain)).toFixed(0)} ms, MCP ${(median(mcp) - median(plain)).toFixed(0)} ms (one more model call at 300 ms to first token, plus the call)`);
console.log(`ratio built-in tool answer / two plain answers: ${(median(builtin) / (2 * median(plain))).toFixed(3)}`);
console.log(`ratio MCP tool answer / two plain answers:      ${(median(mcp) / (2 * median(plain))).toFixed(3)}`);
await tc.dispose();
await fake.stop();
rmSync(folder, { recursive: true, force: true });
