import { PassThrough } from 'node:stream';
import { runCli } from '../../cli/runCli.js';

/** Runs the CLI in-process with captured output, as a terminal user would see it. */
export async function runCliForTest(
  argv: string[],
  env: Record<string, string>,
  options: { input?: string; signal?: AbortSignal; /** Input typed at a terminal (prompts, confirmations). */ interactive?: boolean; /** Keep the CLI's own log level, to see everything a person would. */ defaultLogLevel?: boolean } = {},
) {
  const out = new PassThrough();
  const err = new PassThrough();
  const input = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk) => (stdout += chunk));
  err.on('data', (chunk) => (stderr += chunk));
  input.end(options.input ?? '');
  const code = await runCli(
    argv,
    { out, err, input, env: options.defaultLogLevel ? env : { LOG_LEVEL: 'silent', ...env }, interactive: options.interactive ?? false },
    options.signal ?? new AbortController().signal,
  );
  return { code, stdout, stderr };
}
