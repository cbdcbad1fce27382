import { packageRoot } from '../../core/paths.js';
import { assertBuilt, builtMain, freePort } from '../support/builtEntry.js';
import { spawnTracked, type Child } from '../support/children.js';
import { waitFor } from '../support/waitFor.js';

export { waitFor };

export { freePort };

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

export interface MainChild extends Child {
  url: string;
  /** Log lines (parsed pino JSON) so far. */
  lines(): Array<Record<string, unknown>>;
}

/** Starts the built entry (`node dist/main.js`, as users run it) on a free port, tracked and killed in teardown. */
export async function startMain(env: Record<string, string>, options: { preload?: string[]; args?: string[] } = {}): Promise<MainChild> {
  assertBuilt();
  const port = await freePort();
  const preload = (options.preload ?? []).flatMap((file) => ['--import', file]);
  const started = spawnTracked(process.execPath, [...preload, builtMain, ...(options.args ?? [])], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', CONTROL_HOST: '127.0.0.1', CONTROL_PORT: String(port), DISCORD_TOKEN: '', ADMIN_TOKEN: adminToken, ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  const main: MainChild = {
    ...started,
    url,
    lines: () =>
      started
        .output()
        .stdout.split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
  await waitFor(() => `dist/main.js did not start: ${started.output().stderr}${started.output().stdout.slice(-2000)}`, async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true, 60_000);
  return main;
}

/** The value of one series on /metrics, or null when absent. */
export async function metricValue(url: string, series: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}
