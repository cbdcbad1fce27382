import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Embedded PGlite is Postgres compiled to WebAssembly: most of an idle
 * Council's memory is that module's machine code and its linear memory
 * (bench/idleRss.ts). These settings keep it small.
 */

/** Server defaults sized for a shared machine; one local user's data needs far less, and WebAssembly memory never shrinks. */
export const pgliteMemorySettings = ['-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB', '-c', 'work_mem=2MB', '-c', 'temp_buffers=2MB'];

/**
 * V8 compiles WebAssembly twice: a quick baseline, then optimised code for hot
 * functions, kept beside it. Postgres is large, so the optimised copy costs
 * ~90 MB resident; a local database waits on the model, not on SQL, so the
 * baseline is enough. Must run before the module is compiled.
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * initdb run in this process (from TypeScript sources, see createPgliteInChild)
 * leaves several hundred MB of buffers that only a full collection frees; an
 * idle server may not collect for hours, so collect once now.
 */
export function collectInitdbGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  setFlagsFromString('--no-expose-gc');
  gc?.();
}
