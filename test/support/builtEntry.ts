import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { spawnTracked, waitFor, type Child } from './children.js';

/** The compiled entries (globalSetup builds them once per run): no TypeScript compiler at run time. */
export const builtMain = join(packageRoot, 'dist', 'main.js');
export const builtCli = join(packageRoot, 'dist', 'cli', 'council.js');

export function assertBuilt(): void {
  if (!existsSync(builtMain) || !existsSync(builtCli)) throw new Error('dist/ is missing: run `npm run build` (globalSetup does it before the suite)');
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A clean environment: only what the test gives, plus PATH and HOME. */
export function baseEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', CONTROL_HOST: '127.0.0.1', DISCORD_TOKEN: '', ...env };
}

export interface Server extends Child {
  url: string;
}

/** Starts `node dist/main.js` on a free port and waits until /healthz answers. */
export async function startServer(env: Record<string, string>, args: string[] = []): Promise<Server> {
  assertBuilt();
  const port = await freePort();
  const child = spawnTracked(process.execPath, [builtMain, ...args], { cwd: packageRoot, env: baseEnv({ CONTROL_PORT: String(port), ...env }) });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    () => `main did not start: ${child.output().stderr}${child.output().stdout.slice(-2000)}`,
    async () => {
      if (child.child.exitCode !== null) throw new Error(`main exited ${child.child.exitCode}: ${child.output().stderr}`);
      return (await fetch(`${url}/healthz`).catch(() => null))?.ok === true;
    },
    // A safety net, not a bound: under a load of 10+ on 2 cores a cold start took over 60 s.
    180_000,
  );
  return { ...child, url };
}

/** Runs `node dist/cli/council.js` to the end: exit code and output. */
export async function runBuiltCli(args: string[], env: Record<string, string>, options: { input?: string; cwd?: string } = {}) {
  assertBuilt();
  const child = spawnTracked(process.execPath, [builtCli, ...args], { cwd: options.cwd ?? packageRoot, env: baseEnv({ LOG_LEVEL: 'error', ...env }) });
  child.child.stdin.end(options.input ?? '');
  const code = await child.exited;
  return { code, ...child.output() };
}
