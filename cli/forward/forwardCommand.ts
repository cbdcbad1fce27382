import { request } from 'node:http';
import type { LocalEndpoint } from '../../core/db/localEndpoint.js';
import { CouncilError } from '../../core/errors.js';
import type { CliIo } from '../runtime.js';
import { lineSplitter, outputFrame, type InputFrame, type StartFrame } from './frames.js';

/**
 * Runs a command inside the server that holds the embedded database: same
 * output, same exit code. Stdin and Ctrl-C are passed along as they come.
 */
export function forwardCommand(endpoint: LocalEndpoint, argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/local/cli', endpoint.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/x-ndjson' },
    });
    const send = (frame: StartFrame | InputFrame) => {
      if (!req.writableEnded && !req.destroyed) req.write(`${JSON.stringify(frame)}\n`);
    };
    const onData = (chunk: Buffer | string) => send({ stdin: chunk.toString() });
    const onEnd = () => {
      send({ stdinEnd: true });
      req.end();
    };
    const onAbort = () => send({ signal: 'SIGINT' });
    const cleanup = () => {
      io.input.off('data', onData);
      io.input.off('end', onEnd);
      io.input.pause();
      signal.removeEventListener('abort', onAbort);
    };
    let exitCode: number | null = null;
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        cleanup();
        req.destroy();
        reject(new CouncilError('database_error', `the Council server at ${endpoint.url} holds the data folder but refused this command (HTTP ${res.statusCode}); stop it or set DATABASE_URL`));
        return;
      }
      const lines = lineSplitter((line) => {
        const frame = outputFrame.safeParse(JSON.parse(line));
        if (!frame.success) return;
        const data = frame.data;
        if ('exit' in data) exitCode = data.exit;
        else if ('out' in data) {
          if (!io.out.write(data.out)) {
            res.pause();
            io.out.once('drain', () => res.resume());
          }
        } else io.err.write(data.err);
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => lines.push(chunk));
      res.on('end', () => {
        lines.end();
        cleanup();
        req.destroy();
        if (exitCode === null) reject(new CouncilError('database_error', `the Council server at ${endpoint.url} stopped before the command finished`));
        else resolve(exitCode);
      });
    });
    req.on('error', (error) => {
      cleanup();
      if (exitCode !== null) return resolve(exitCode);
      reject(new CouncilError('database_error', `cannot reach the Council server at ${endpoint.url} that holds the data folder (${(error as NodeJS.ErrnoException).code ?? error.message}); stop it or retry`));
    });
    send({ argv, cwd: io.cwd ?? process.cwd(), interactive: io.interactive ?? false });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    io.input.on('data', onData);
    io.input.once('end', onEnd);
    io.input.resume();
  });
}
