import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CouncilError } from '../errors.js';
import { noSpaceError } from './noSpace.js';

const entry = fileURLToPath(new URL('./createPglite.js', import.meta.url));

/**
 * initdb and the first migrations leave WebAssembly code and allocator memory
 * behind that a long-running server would carry for good (about 80 MB idle,
 * bench/idleRss.ts), so a short-lived process does them. Only the compiled
 * package has the entry to run; from TypeScript sources (the test runner) the
 * database is created in-process.
 */
export function canCreatePgliteInChild(): boolean {
  return existsSync(entry);
}

export async function createPgliteInChild(folder: string, dataDir: string): Promise<void> {
  const child = spawn(process.execPath, [entry, folder, dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code === 0) return;
  let outcome: { noSpace?: boolean; reason?: string } = {};
  try {
    outcome = JSON.parse(stderr.trim().split('\n').at(-1) ?? '') as typeof outcome;
  } catch {
    // Killed, or died before it could say why: the exit status is all there is.
  }
  const reason = outcome.reason ?? (signal ? `the process creating it was stopped (${signal})` : `the process creating it exited ${code}`);
  if (outcome.noSpace) throw noSpaceError(dataDir, new Error(reason));
  throw new CouncilError('database_error', `cannot create the embedded database in ${folder}: ${reason}`);
}
