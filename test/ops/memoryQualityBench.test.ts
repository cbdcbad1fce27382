import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { spawnTracked, waitFor } from '../support/children.js';

/** Under node itself (tsx as a loader, no wrapper process), so stopping it stops the process that listens. */
const tsx = (...args: string[]) => spawnTracked(process.execPath, ['--import', 'tsx', ...args], { cwd: packageRoot, env: { ...process.env, LOG_LEVEL: 'silent' } });

describe('bench/memoryQuality.ts on an Ollama', () => {
  it('extracts, answers and judges every scripted question on the fake Ollama started from the command line, and prints answer accuracy per category', { timeout: 240_000 }, async () => {
    const ollama = tsx('test/fakes/ollama/main.ts', '--port', '0', '--ttft', '0', '--token-ms', '0');
    try {
      const url = await waitFor('the fake Ollama to listen', () => /on (http:\/\/[\d.]+:\d+)/.exec(ollama.output().stdout)?.[1], 60_000);
      const bench = tsx('bench/memoryQuality.ts', '--base-url', url, '--model', 'llama3.2', '--size', '0');
      expect(await bench.exited, bench.output().stderr).toBe(0);
      const out = bench.output().stdout;
      expect(out.split('\n')[0]).toContain(`Ollama ${url} llama3.2`);
      const accuracy = [...out.matchAll(/answer accuracy (\w+) +(\d+)\/(\d+)/g)].map((m) => ({ category: m[1]!, correct: Number(m[2]), of: Number(m[3]) }));
      // Every question was judged: the per-category totals are the script's, and no judgement exceeds them.
      expect(Object.fromEntries(accuracy.map((a) => [a.category, a.of]))).toEqual({ single: 3, update: 5, temporal: 2, multi: 3, abstention: 3, overall: 16 });
      for (const a of accuracy) expect(a.correct).toBeLessThanOrEqual(a.of);
      expect(out).toContain('(judged by llama3.2)');
      expect(out).not.toContain('recall p95');
    } finally {
      await ollama.stop();
    }
  });
});
