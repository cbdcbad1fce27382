// npm runs this after `npm install` in a checkout (and before `npm pack`): it builds dist/ once,
// so `npm start` and `council` run compiled JavaScript with no compile step per call.
// Where there are no sources or no TypeScript (a production install, a Docker stage), it does nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  tsc = null;
}
if (!existsSync(join(root, 'main.ts')) || !existsSync(join(root, 'tsconfig.build.json')) || !tsc) process.exit(0);
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
// tsc emits despite type errors; those are `npm run typecheck`'s to report, so an install only fails when nothing was built.
const built = existsSync(join(root, 'dist', 'main.js')) && existsSync(join(root, 'dist', 'cli', 'council.js')) && existsSync(join(root, 'dist', 'core', 'index.js'));
if (result.status !== 0) console.error(built ? 'council: built dist/ despite the type errors above (npm run typecheck lists them)' : 'council: the build failed');
process.exit(built ? 0 : 1);
