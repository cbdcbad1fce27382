import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresCluster } from '../support/postgresCluster.js';

/** Runs pg_ctl on a throwaway cluster as its owner (the postgres user when we are root: pg_ctl refuses root). */
function pgCtl(cluster: PostgresCluster, args: string[]): void {
  const bin = join(cluster.binDir, 'pg_ctl');
  const all = ['-D', join(cluster.dir, 'data'), '-l', join(cluster.dir, 'server.log'), ...args];
  const result = process.getuid?.() === 0
    ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...all], { encoding: 'utf8', timeout: 90_000 })
    : spawnSync(bin, all, { encoding: 'utf8', timeout: 90_000 });
  if (result.status !== 0) throw new Error(`pg_ctl ${args.at(-1)} failed: ${result.stderr || result.stdout}`);
}

/** `pg_ctl restart -m fast` on a throwaway cluster, as its owner: what an operator's restart does to open connections. */
export function restartPostgres(cluster: PostgresCluster): void {
  pgCtl(cluster, ['-m', 'fast', '-w', '-t', '60', 'restart']);
}

/** Stops the cluster (an outage); the returned function starts it again with the options it ran with. */
export function stopPostgres(cluster: PostgresCluster): () => void {
  // postmaster.opts is the server's own command line, shell-quoted: pg_ctl restart reuses it the same way.
  const opts = readFileSync(join(cluster.dir, 'data', 'postmaster.opts'), 'utf8').trim().replace(/^\S+\s*/, '');
  pgCtl(cluster, ['-m', 'fast', '-w', '-t', '60', 'stop']);
  return () => pgCtl(cluster, ['-w', '-t', '60', '-o', opts, 'start']);
}
