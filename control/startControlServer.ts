import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import { CouncilError } from '../core/errors.js';
import { createControlApp } from './createControlApp.js';
import type { ControlDeps } from './types.js';

export interface ControlServer {
  url: string;
  port: number;
  /**
   * Drains, then stops: from the first moment it stops accepting connections,
   * closes idle keep-alive connections, answers every response with
   * `Connection: close` (so a proxy's kept-alive connection takes no new
   * request) and /readyz with 503. Requests in flight get `graceMs` to finish
   * before their sockets are closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** Serves the control app on CONTROL_HOST:CONTROL_PORT (port 0 picks a free one). */
export async function startControlServer(deps: ControlDeps & { port?: number; host?: string }): Promise<ControlServer> {
  let draining = false;
  const app = createControlApp({ ...deps, draining: () => draining });
  const host = deps.host ?? deps.council.config.CONTROL_HOST;
  const wanted = deps.port ?? deps.council.config.CONTROL_PORT;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: wanted, hostname: host }, (info) => {
      const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        close: (graceMs = 0) =>
          new Promise<void>((done) => {
            draining = true;
            for (const res of inFlight) endAfter(res);
            server.close(() => done());
            http.closeIdleConnections();
            setTimeout(() => http.closeAllConnections(), graceMs).unref();
          }),
      });
    });
    const http = server as Server;
    const inFlight = new Set<ServerResponse>();
    // A response still being written when the drain begins ends its connection too, whether or not its headers went out before.
    const endAfter = (res: ServerResponse) => {
      if (!res.headersSent) res.setHeader('connection', 'close');
      else res.once('finish', () => setImmediate(() => http.closeIdleConnections()));
    };
    http.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (draining) res.setHeader('connection', 'close');
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new CouncilError('bad_config', `CONTROL_PORT ${wanted} is in use on ${host}; stop what listens there or set CONTROL_PORT to a free port`));
      else if (error.code === 'EACCES') reject(new CouncilError('bad_config', `CONTROL_PORT ${wanted} needs privileges on ${host}; set CONTROL_PORT to a port above 1023`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new CouncilError('bad_config', `CONTROL_HOST ${host} is not an address of this machine; set CONTROL_HOST to 127.0.0.1 or 0.0.0.0`));
      else reject(error);
    });
  });
}
