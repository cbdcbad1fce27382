import { serve } from '@hono/node-server';
import { CouncilError } from '../core/errors.js';
import { createControlApp } from './createControlApp.js';
import type { ControlDeps } from './types.js';

export interface ControlServer {
  url: string;
  port: number;
  /** Stops accepting connections; requests in flight get `graceMs` to finish before their sockets are closed. */
  close(graceMs?: number): Promise<void>;
}

/** Serves the control app on CONTROL_HOST:CONTROL_PORT (port 0 picks a free one). */
export async function startControlServer(deps: ControlDeps & { port?: number; host?: string }): Promise<ControlServer> {
  const app = createControlApp(deps);
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
            const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
            server.close(() => done());
            http.closeIdleConnections?.();
            setTimeout(() => http.closeAllConnections?.(), graceMs).unref();
          }),
      });
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new CouncilError('bad_config', `CONTROL_PORT ${wanted} is in use on ${host}; stop what listens there or set CONTROL_PORT to a free port`));
      else if (error.code === 'EACCES') reject(new CouncilError('bad_config', `CONTROL_PORT ${wanted} needs privileges on ${host}; set CONTROL_PORT to a port above 1023`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new CouncilError('bad_config', `CONTROL_HOST ${host} is not an address of this machine; set CONTROL_HOST to 127.0.0.1 or 0.0.0.0`));
      else reject(error);
    });
  });
}
