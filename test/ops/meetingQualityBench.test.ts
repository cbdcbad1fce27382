import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { spawnTracked, waitFor } from '../support/children.js';

/** Under node itself (tsx as a loader, no wrapper process), so stopping it stops the process that listens. */
const tsx = (...args: string[]) => spawnTracked(process.execPath, ['--import', 'tsx', ...args], { cwd: packageRoot, env: { ...process.env, LOG_LEVEL: 'silent' } });

describe('bench/meetingQuality.ts on an Ollama', () => {
  it('runs the same meetings on the fake Ollama started from the command line, with a model per participant, and prints conformity and distinctness', { timeout: 120_000 }, async () => {
    const ollama = tsx('test/fakes/ollama/main.ts', '--port', '0', '--ttft', '0', '--token-ms', '0', '--models', 'qwen2.5,mistral');
    try {
      const url = await waitFor('the fake Ollama to listen', () => /on (http:\/\/[\d.]+:\d+)/.exec(ollama.output().stdout)?.[1], 60_000);
      const bench = tsx('bench/meetingQuality.ts', '--base-url', url, '--model', 'llama3.2', '--models', 'llama3.2,qwen2.5,mistral', '--meetings', '1', '--topics', '1');
      expect(await bench.exited, bench.output().stderr).toBe(0);
      const lines = bench.output().stdout.trim().split('\n');
      expect(lines[0]).toContain(`Ollama ${url}: llama3.2, participants llama3.2, qwen2.5, mistral`);
      expect(lines[1]!.split(' | ').slice(-2)).toEqual(['conformity', 'distinctness']);
      const [open, independent] = lines.slice(2).map((line) => line.split(' | '));
      expect(open![1]).toBe('1.000');
      expect(independent![1]).toBe('1.000');
      expect(open!.at(-2)).toMatch(/^\d+\.\d%$/);
      // Open discussion has no independent positions to compare; the fake's embeddings of different positions differ.
      expect(open!.at(-1)).toBe('n/a');
      expect(Number(independent!.at(-1))).toBeGreaterThan(0);
      // Every participant model was asked (Ollama lists what it loaded lately).
      const loaded = (await (await fetch(`${url}/api/ps`)).json()) as { models: Array<{ name: string }> };
      expect(loaded.models.map((m) => m.name).sort()).toEqual(expect.arrayContaining(['llama3.2:latest', 'mistral:latest', 'qwen2.5:latest']));
    } finally {
      await ollama.stop();
    }
  });
});
