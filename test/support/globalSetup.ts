import type { TestProject } from 'vitest/node';
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
