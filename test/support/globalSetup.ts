import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packageRoot } from '../../core/paths.js';
import { findPostgresBin, startPostgresCluster, type PostgresCluster } from './postgresCluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string | null;
    postgresBinDir: string | null;
  }
}

let cluster: PostgresCluster | undefined;

/** One throwaway cluster per test run; each test file makes its own database in it. */
export async function setup(project: TestProject): Promise<void> {
  buildOnce();
  const bin = findPostgresBin();
  if (!bin) {
    if (process.env.CI) throw new Error('CI must have Postgres server binaries (.ci/run installs them)');
    project.provide('postgresAdminUrl', null);
    project.provide('postgresBinDir', null);
    return;
  }
  cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.url);
  project.provide('postgresBinDir', cluster.binDir);
}

export async function teardown(): Promise<void> {
  cluster?.stop();
}

/**
 * Process tests run the compiled entries, as users do: compiling once here
 * keeps the TypeScript loader out of every spawned process on a busy machine.
 * Type errors are the typecheck's business; only a build that emitted nothing fails.
 */
function buildOnce(): void {
  const tsc = join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(packageRoot, 'tsconfig.build.json')], { cwd: packageRoot, encoding: 'utf8', timeout: 300_000 });
  if (!existsSync(join(packageRoot, 'dist', 'main.js')) || !existsSync(join(packageRoot, 'dist', 'cli', 'council.js'))) {
    throw new Error(`npm run build produced no dist/: ${result.stdout}${result.stderr}`);
  }
}
