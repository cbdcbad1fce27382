import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouncilError } from '../errors.js';

/**
 * PGlite is a single-process database: two processes opening the same folder
 * corrupt it. A pid file makes the second one stop with a clear message.
 */
export function lockDataDir(dir: string): () => void {
  ensureFolder(dir);
  const file = join(dir, 'council.lock');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch {
    const holder = lockHolder(dir);
    if (holder !== null && holder !== process.pid && isAlive(holder)) {
      throw new CouncilError(
        'database_error',
        `the embedded database in ${dir} is in use by process ${holder}; stop it first, or set DATABASE_URL to share a Postgres server`,
      );
    }
    writeFileSync(file, String(process.pid), { mode: 0o600 });
  }
  return () => {
    if (lockHolder(dir) === process.pid) rmSync(file, { force: true });
  };
}

/** The pid written in DATA_DIR/council.lock, or null. */
export function lockHolder(dir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, 'council.lock'), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ensureFolder(dir: string): void {
  const existing = statSync(dir, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) {
    throw new CouncilError('bad_config', `DATA_DIR ${dir} is a file, not a folder; set DATA_DIR to a folder (it is created if missing)`);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'is inside a file' : `cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new CouncilError('bad_config', `DATA_DIR ${dir} ${reason}; set DATA_DIR to a folder you can write`);
  }
}
