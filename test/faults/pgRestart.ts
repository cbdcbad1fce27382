import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { PostgresCluster } from '../support/postgresCluster.js';

/** `pg_ctl restart -m fast` on a throwaway cluster, as its owner: what an operator's restart does to open connections. */
export function restartPostgres(cluster: PostgresCluster): void {
  const pgCtl = join(cluster.binDir, 'pg_ctl');
  const args = ['-D', join(cluster.dir, 'data'), '-l', join(cluster.dir, 'server.log'), '-m', 'fast', '-w', '-t', '60', 'restart'];
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { encoding: 'utf8', timeout: 90_000 })
    : spawnSync(pgCtl, args, { encoding: 'utf8', timeout: 90_000 });
  if (result.status !== 0) throw new Error(`pg_ctl restart failed: ${result.stderr || result.stdout}`);
}
