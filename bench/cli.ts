/**
 * How fast the `council` command answers: median wall time over N runs of the
 * built command next to a bare `node -e ''`, measured side by side in one run.
 * Goal: `agents` within 0.3 s of bare node (it never opens the database).
 *   npm run build && npx tsx bench/cli.ts [--runs 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../core/paths.js';
import { startFakeOllama } from '../test/fakes/ollama/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const cli = join(packageRoot, 'dist', 'cli', 'council.js');
const fake = await startFakeOllama();
const dataDir = mkdtempSync(join(tmpdir(), 'council-bench-cli-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, OLLAMA_BASE_URL: fake.url, LOG_LEVEL: 'error' };

function timeOnce(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const cases: Array<[string, string[]]> = [
  ["node -e ''", ['-e', '']],
  ['council agents --json', [cli, 'agents', '--json']],
  ['council meeting types --json', [cli, 'meeting', 'types', '--json']],
  ['council ask cto hi (fake Ollama, embedded db)', [cli, 'ask', 'cto', 'hi']],
];
await timeOnce([cli, 'ask', 'cto', 'warm up: creates and migrates the database']);
const results = new Map<string, number[]>(cases.map(([name]) => [name, []]));
// Interleaved, so a burst of load on the machine hits every case alike.
for (let i = 0; i < runs; i++) {
  for (const [name, args] of cases) results.get(name)!.push(await timeOnce(args));
}
const bare = median(results.get("node -e ''")!);
console.log(`median wall time over ${runs} runs (interleaved):`);
for (const [name] of cases) {
  const ms = median(results.get(name)!);
  console.log(`  ${name.padEnd(48)} ${(ms / 1000).toFixed(3)} s   +${((ms - bare) / 1000).toFixed(3)} s over bare node   ratio ${(ms / bare).toFixed(1)}`);
}
const agents = median(results.get('council agents --json')!);
console.log(`goal: agents within 0.300 s of bare node: ${agents - bare <= 300 ? 'met' : 'NOT met'} (+${((agents - bare) / 1000).toFixed(3)} s)`);
await fake.stop();
rmSync(dataDir, { recursive: true, force: true });
