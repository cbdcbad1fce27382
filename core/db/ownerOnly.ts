import { chmodSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * DATA_DIR holds the whole database and control.json's token: only its owner
 * may read or change it. PGlite writes the files initdb made with an explicit
 * chmod to 0666, and pg_internal.init at 0644, whatever the umask, so the umask
 * alone cannot keep them private: the folder is walked and tightened after the
 * database opens, and the umask covers the folders created while it runs.
 */

/** Makes every folder this process creates from now 0700 and every file at most 0600, whatever umask it was started with. */
export function ownerOnlyUmask(): void {
  const previous = process.umask(0o077);
  process.umask(previous | 0o077);
}

/** Strips group and other permissions from `dir` and everything under it (symlinks are not followed); returns how many entries changed. */
export function restrictToOwner(dir: string): number {
  let changed = 0;
  const tighten = (path: string, mode: number) => {
    if ((mode & 0o077) === 0) return;
    chmodSync(path, mode & 0o7700);
    changed++;
  };
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) continue;
      const stats = lstatSync(path);
      tighten(path, stats.mode);
      if (stats.isDirectory()) walk(path);
    }
  };
  tighten(dir, statSync(dir).mode);
  walk(dir);
  return changed;
}
