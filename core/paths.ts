import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
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

/** A source checkout (npm start, npm run council, npm link) rather than an installed copy of the package. */
export const isSourceCheckout: boolean = existsSync(join(packageRoot, 'main.ts'));

let checkoutEntry = false;

/**
 * Called first by the checkout's own entry points (main.ts, the CLI), so that
 * `npm start` and `npm run council` share the checkout's data/. A script that
 * imports the library never calls it: `npm install <checkout>` links the very
 * same files, and that script must not open (or clear) the checkout's database.
 */
export function useCheckoutDataDir(): void {
  checkoutEntry = true;
}

/**
 * Where the embedded database lives when DATA_DIR is unset: `data/` in the
 * checkout for the checkout's own entry points, whatever the current folder;
 * for everything else (an installed copy, the library however it was
 * installed) the per-user data folder ($XDG_DATA_HOME/council, else
 * ~/.local/share/council). Never the current folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (checkoutEntry && isSourceCheckout) return join(packageRoot, 'data');
  const base = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'council');
}
