import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (where package.json, roles/ and core/db/migrations live),
 * found by walking up from this file so it is the same from sources and from dist/.
 */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
})();

export const defaultRolesDir = join(packageRoot, 'roles');
export const migrationsDir = join(packageRoot, 'core', 'db', 'migrations');
