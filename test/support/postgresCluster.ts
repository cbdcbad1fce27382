import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway Postgres cluster: initdb + pg_ctl from /usr/lib/postgresql/<v>/bin,
 * run as the postgres user (initdb refuses root), in its own temp folder and port.
 */
export interface PostgresCluster {
  url: string;
  port: number;
  dir: string;
  binDir: string;
  stop(): void;
}

export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function asPostgres(binDir: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const command = isRoot ? 'runuser' : join(binDir, args[0] ?? '');
  const commandArgs = isRoot ? ['-u', 'postgres', '--', join(binDir, args[0] ?? ''), ...args.slice(1)] : args.slice(1);
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${args[0]} failed: ${result.stderr || result.stdout || result.error?.message}`);
  }
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const binDir = findPostgresBin();
  if (!binDir) throw new Error('Postgres server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'council-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', dir]);
  asPostgres(binDir, ['initdb', '-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  asPostgres(binDir, [
    'pg_ctl',
    '-D',
    dataDir,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    binDir,
    stop() {
      try {
        asPostgres(binDir, ['pg_ctl', '-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
