import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { waitFor } from '../support/waitFor.js';

export { waitFor };

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export const adminToken = 'fault-tests-admin-token-0123456789abcdef';

/** A fresh /v1 API key from the running process's admin API. */
export async function createApiKey(url: string): Promise<string> {
  const response = await fetch(`${url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `faults-${Math.random().toString(36).slice(2, 10)}` }),
  });
  if (response.status !== 201) throw new Error(`cannot create an API key: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

/** POST /v1/agents/<agent>/chat with a key; the parsed body and status. */
export async function chatOver(url: string, key: string, message: string, session: string, agent = 'cto') {
  const response = await fetch(`${url}/v1/agents/${agent}/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message, session }),
  });
  const text = await response.text();
  let body: { reply?: string; messageId?: string; error?: { code: string; message: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { error: { code: 'not_json', message: text.slice(0, 200) } };
  }
  return { status: response.status, body };
}

export interface MainChild {
  child: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** Log lines (parsed pino JSON) so far. */
  lines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts `main.ts` (through tsx) as a child process on a free port; stop() kills it if still running. */
export async function startMain(env: Record<string, string>, options: { preload?: string[]; args?: string[] } = {}): Promise<MainChild> {
  const port = await freePort();
  const preload = (options.preload ?? []).flatMap((file) => ['--import', file]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload, join(packageRoot, 'main.ts'), ...(options.args ?? [])], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', CONTROL_HOST: '127.0.0.1', CONTROL_PORT: String(port), DISCORD_TOKEN: '', ADMIN_TOKEN: adminToken, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const main: MainChild = {
    child,
    url,
    exited,
    output: () => ({ stdout, stderr }),
    lines: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  await waitFor(() => `main.ts did not start: ${stderr}${stdout.slice(-2000)}`, async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true, 60_000);
  return main;
}


/** The value of one series on /metrics, or null when absent. */
export async function metricValue(url: string, series: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}
