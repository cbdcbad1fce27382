import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OllamaHttpError, disconnectSignal, parseJsonBody, readText, sendJson, sendText } from './http.js';
import type { Route } from './route.js';
import { chatRoute } from './routes/chat.js';
import { embedRoute, legacyEmbeddingsRoute } from './routes/embed.js';
import { generateRoute } from './routes/generate.js';
import { psRoute, rootRoute, showRoute, tagsRoute, versionRoute } from './routes/models.js';
import type { FakeState } from './state.js';

const routes: Record<string, Route> = {
  'GET /': rootRoute,
  'HEAD /': rootRoute,
  'GET /api/tags': tagsRoute,
  'GET /api/ps': psRoute,
  'GET /api/version': versionRoute,
  'POST /api/show': showRoute,
  'POST /api/chat': chatRoute,
  'POST /api/generate': generateRoute,
  'POST /api/embed': embedRoute,
  'POST /api/embeddings': legacyEmbeddingsRoute,
};

/** The node:http side of the fake: listening, stopping, recording each request and handing it to its route. */
export class FakeOllamaServer {
  private server: Server | undefined;

  constructor(private readonly state: FakeState) {}

  /** Listens on 127.0.0.1; returns the port (the one asked for, or a free one for 0). */
  async listen(port: number): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as { port: number }).port;
  }

  /** Closes every connection at once, hanging and streaming ones included, so a stop is prompt. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const signal = disconnectSignal(res);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    try {
      const text = await readText(req);
      this.state.requests.push({ method, path, body: recordable(text), at: Date.now() });
      const route = routes[`${method} ${path}`];
      if (!route) return sendText(res, 404, '404 page not found');
      const body = method === 'POST' ? parseJsonBody(text) : undefined;
      await route({ state: this.state, req, res, body, signal, arrivedAt });
    } catch (error) {
      if (signal.aborted) return;
      const status = error instanceof OllamaHttpError ? error.status : 500;
      const message = (error as Error).message;
      if (!res.headersSent) return sendJson(res, status, { error: message });
      // Mid-stream, Ollama reports a failure as one last NDJSON line.
      res.end(`${JSON.stringify({ error: message })}\n`);
    }
  }
}

function recordable(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
