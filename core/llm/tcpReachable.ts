import { connect } from 'node:net';

/**
 * A bare TCP connect with a short timeout. fetch has no connect timeout, and a
 * backend behind a dropped route would otherwise hang a call for minutes.
 */
export function tcpReachable(baseUrl: string, timeoutMs: number): Promise<string | null> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}
