import { spawn, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';
import { afterAll } from 'vitest';

/**
 * Every process a test starts is registered here and killed when its test
 * file ends, whether the tests passed, failed or timed out, and again if the
 * test worker itself exits: no child outlives the suite.
 */
const live = new Set<ChildProcessWithoutNullStreams>();
const grandchildren = new Set<number>();

export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
  for (const pid of grandchildren) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  grandchildren.clear();
}

/** A process started by a child (node under `npm start`): killed in teardown like the children. */
export function trackPid(pid: number): void {
  grandchildren.add(pid);
}

process.once('exit', killAllChildren);
afterAll(killAllChildren);

export interface Child {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** Kills it (SIGKILL) if it still runs, and waits for the exit. */
  stop(): Promise<void>;
}

export function spawnTracked(command: string, args: string[], options: SpawnOptionsWithoutStdio = {}): Child {
  const child = spawn(command, args, options);
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? (signal ? 128 + signalNumber(signal) : null));
    }),
  );
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

export { waitFor } from './waitFor.js';
