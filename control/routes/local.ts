import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import { Hono } from 'hono';
import { lineSplitter, inputFrame, startFrame, type OutputFrame } from '../../cli/forward/frames.js';
import type { Council } from '../../core/council.js';
import type { Logger } from '../../core/log.js';
import { metrics } from '../../core/metrics.js';
import { describeError } from '../../core/errors.js';
import { clientAddress, credentialOf, type FailedLoginLimiter } from '../middleware/rateLimit/index.js';
import type { ControlEnv } from '../types.js';

export interface LocalRouteDeps {
  council: Council;
  log: Logger;
  /** The per-start token written to DATA_DIR/control.json, readable by the server's user only. */
  token: string;
  /** Counts wrong tokens, as for the other credentials. */
  limiter: FailedLoginLimiter;
}

/**
 * POST /local/cli: runs a `council` command inside this process, which holds
 * the embedded database, for a CLI on the same machine (cli/forward). Only
 * loopback callers that name a loopback host and read the token from the data
 * folder get in.
 */
export function localRoutes(deps: LocalRouteDeps) {
  const expected = Buffer.from(`Bearer ${deps.token}`);
  return new Hono<ControlEnv>().post('/cli', (c) => {
    const remote = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? '';
    // A web page whose name was rebound to 127.0.0.1 reaches this port from the browser, but its Host header keeps that name.
    if (!isLoopback(remote) || !isLoopbackHost(c.req.header('host') ?? '')) {
      return c.json({ error: { code: 'forbidden', message: 'local commands are served to this machine only' } }, 403);
    }
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      if (given.length > 0) deps.limiter.fail(clientAddress(c, false), credentialOf(c));
      metrics.authFailures.inc({ area: 'local', outcome: 'rejected' });
      return c.json({ error: { code: 'unauthorized', message: 'wrong local token' } }, 401);
    }
    const body = c.req.raw.body;
    if (!body) return c.json({ error: { code: 'bad_request', message: 'no command' } }, 400);
    return new Response(runForwarded(deps, body, c.req.raw.signal), { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
  });
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A Host header naming this machine by a loopback address or `localhost`, with or without a port. */
function isLoopbackHost(host: string): boolean {
  const name = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host.trim().toLowerCase())?.[1] ?? '';
  return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Runs the same CLI handler as the terminal, with its stdin, stdout and stderr carried as frames. */
function runForwarded(deps: LocalRouteDeps, body: ReadableStream<Uint8Array>, disconnected: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const waiting: Array<() => void> = [];
  let output!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const emit = (frame: OutputFrame) => {
    if (!closed) output.enqueue(encoder.encode(`${JSON.stringify(frame)}\n`));
  };
  // Each stream waits while the caller reads slowly, so a large export is not buffered whole in the server.
  const frameWriter = (key: 'out' | 'err') =>
    new Writable({
      decodeStrings: false,
      write(chunk: Buffer | string, _encoding, done) {
        emit({ [key]: chunk.toString() } as OutputFrame);
        if (closed || (output.desiredSize ?? 1) > 0) done();
        else waiting.push(done);
      },
    });
  const input = new PassThrough();
  const interrupt = new AbortController();
  const onDisconnect = () => interrupt.abort();
  disconnected.addEventListener('abort', onDisconnect, { once: true });

  const run = async () => {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let start: ReturnType<typeof startFrame.parse> | undefined;
    let ready!: (value: void) => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const lines = lineSplitter((line) => {
      const parsed = JSON.parse(line) as unknown;
      if (!start) {
        start = startFrame.parse(parsed);
        ready();
        return;
      }
      const frame = inputFrame.parse(parsed);
      if ('stdin' in frame) input.write(frame.stdin);
      else if ('stdinEnd' in frame) input.end();
      else interrupt.abort();
    });
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        lines.push(value);
      }
      lines.end();
      if (!input.writableEnded) input.end();
    })();
    pump.catch(() => {
      interrupt.abort();
      if (!input.writableEnded) input.end();
    });
    await Promise.race([started, pump]);
    if (!start) return 2;
    const { runCli } = await import('../../cli/runCli.js');
    const { sharedCouncil } = await import('../../cli/runtime.js');
    const out = frameWriter('out');
    const err = frameWriter('err');
    const code = await runCli(start.argv, { out, err, input, env: {}, cwd: start.cwd, interactive: start.interactive }, interrupt.signal, {
      source: sharedCouncil(deps.council),
    });
    // The exit frame goes last: everything the command wrote is sent first.
    await Promise.all([out, err].map((stream) => new Promise((resolve) => stream.end(resolve))));
    return code;
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      output = controller;
      run()
        .catch((error: unknown) => {
          deps.log.error({ err: describeError(error) }, 'local CLI command failed');
          emit({ err: 'council: the server could not run this command; see its log\n' });
          return 1;
        })
        .then((code) => {
          emit({ exit: code });
          disconnected.removeEventListener('abort', onDisconnect);
          if (closed) return;
          closed = true;
          for (const done of waiting.splice(0)) done();
          controller.close();
        });
    },
    pull() {
      for (const done of waiting.splice(0)) done();
    },
    cancel() {
      closed = true;
      interrupt.abort();
      for (const done of waiting.splice(0)) done();
    },
  });
}
