import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { assertBuilt } from '../support/builtEntry.js';
import { spawnTracked } from '../support/children.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';

/** Fast lease timings so takeovers happen in seconds; the defaults (30 s lease, 10 s tick) are checked separately. */
export const fastLeases = { MEETING_LEASE_MS: '2000', MEETING_LEASE_RENEW_MS: '400', MEETING_SUPERVISE_MS: '400' };

/** Several Councils on one Postgres database, each with its own pool and LISTEN connection: processes, as far as the database can tell. */
export async function openCluster(count: number, input: { ollamaUrl: string; databaseUrl: string; env?: Record<string, string> }): Promise<TestCouncil[]> {
  const nodes: TestCouncil[] = [];
  for (let i = 0; i < count; i++) nodes.push(await openTestCouncil({ ollamaUrl: input.ollamaUrl, databaseUrl: input.databaseUrl, env: { ...fastLeases, ...input.env } }));
  return nodes;
}

export { waitFor } from '../support/waitFor.js';

/** A child process running one meeting on the built library (test/cluster/fixtures/runMeetingChild.mjs), tracked and killed in teardown; its stdout lines are JSON events. */
export function runMeetingChild(meetingId: string, env: Record<string, string>) {
  assertBuilt();
  const { child } = spawnTracked(process.execPath, [join(packageRoot, 'test/cluster/fixtures/runMeetingChild.mjs'), meetingId], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...fastLeases, ...env },
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
}
