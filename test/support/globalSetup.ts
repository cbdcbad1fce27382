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

/*
 * Shared by the suite's projects that need it (integration and slow run side
 * by side in one run): the first setup builds and starts the cluster, the
 * others reuse it, and the last teardown stops it. On globalThis, not in
 * module variables: each project may load this file as a module of its own.
 */
const state = globalThis as typeof globalThis & { councilTestSetup?: { cluster: Promise<PostgresCluster | null>; users: number } };

/** One throwaway cluster per test run; each test file makes its own database in it. */
export async function setup(project: TestProject): Promise<void> {
  state.councilTestSetup ??= {
    users: 0,
    cluster: (async () => {
      buildOnce();
      if (!findPostgresBin()) {
        if (process.env.CI) throw new Error('CI must have Postgres server binaries (.ci/run installs them)');
        return null;
      }
      return startPostgresCluster();
    })(),
  };
  state.councilTestSetup.users++;
  const cluster = await state.councilTestSetup.cluster;
  project.provide('postgresAdminUrl', cluster?.url ?? null);
  project.provide('postgresBinDir', cluster?.binDir ?? null);
}

export async function teardown(): Promise<void> {
  const setup = state.councilTestSetup;
  if (!setup || --setup.users > 0) return;
  state.councilTestSetup = undefined;
  (await setup.cluster.catch(() => null))?.stop();
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
