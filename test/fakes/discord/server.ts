import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { FakeGateway } from './gateway.js';
import { RateLimits } from './rules/rateLimits.js';
import { readBody, type ParsedBody } from './readBody.js';
import { channelRoutes } from './rest/channels.js';
import { interactionRoutes } from './rest/interactions.js';
import { miscRoutes } from './rest/misc.js';
import type { Route } from './rest/route.js';
import { webhookRoutes } from './rest/webhooks.js';
import { FakeDiscordState } from './state.js';

export interface Fault {
  /** 429 (with retry_after) or a 5xx. */
  status: number;
  count: number;
  match?: (method: string, path: string) => boolean;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  files: ParsedBody['files'];
  status: number;
  /** Discord's JSON error code when the answer was an error. */
  code?: number;
  at: number;
}

/** The HTTP side (REST under /api/v10) and the gateway websocket on one port. */
export class FakeDiscordServer {
  readonly calls: RecordedCall[] = [];
  readonly state: FakeDiscordState;
  readonly rateLimits = new RateLimits();
  readonly faults: Fault[] = [];
  /** Run as a call is answered, before the bot sees the answer: a test's way to act between two calls. */
  readonly onAnswer: Array<(call: RecordedCall) => void> = [];
  gateway!: FakeGateway;
  port = 0;
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  private readonly routes: Route[];

  constructor(private readonly token: string, manageWebhooks: boolean) {
    this.state = new FakeDiscordState(manageWebhooks);
    this.routes = [...miscRoutes(() => `ws://127.0.0.1:${this.port}/gateway`), ...interactionRoutes, ...webhookRoutes, ...channelRoutes];
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
        const body = await readBody(req).catch(() => ({ json: {}, files: [] }));
        // The CDN: attachment files, no token, outside the API's rate limits.
        if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) {
          const file = this.state.files.get(decodeURIComponent(url.pathname.slice('/attachments/'.length)));
          this.calls.push({ method: 'GET', path: url.pathname, query: {}, body: {}, files: [], status: file ? 200 : 404, at: Date.now() });
          res.writeHead(file ? 200 : 404, { 'content-type': file?.contentType ?? 'text/plain' });
          res.end(file?.content ?? 'Not Found');
          return;
        }
        const record = (status: number, code?: number) => {
          const call: RecordedCall = { method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), body: body.json, files: body.files, status, ...(code !== undefined ? { code } : {}), at: Date.now() };
          this.calls.push(call);
          for (const hook of [...this.onAnswer]) hook(call);
        };
        let limitHeaders: Record<string, string> = {};
        const send = (status: number, payload?: unknown) => {
          record(status, status >= 400 ? (payload as { code?: number } | undefined)?.code : undefined);
          const headers: Record<string, string> = { ...limitHeaders };
          if (payload !== undefined) headers['content-type'] = 'application/json';
          res.writeHead(status, headers);
          res.end(payload === undefined ? undefined : JSON.stringify(payload));
        };
        const fault = this.faults.find((f) => f.count > 0 && (f.match?.(req.method ?? 'GET', path) ?? true));
        if (fault) {
          fault.count--;
          if (fault.status === 429) {
            limitHeaders = { 'retry-after': '1', 'x-ratelimit-scope': 'shared', 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '0.100', 'x-ratelimit-bucket': 'fault' };
            return send(429, { message: 'You are being rate limited.', retry_after: 0.1, global: false });
          }
          return send(fault.status, { message: `${fault.status}: Internal Server Error`, code: 0 });
        }
        const limited = this.rateLimits.check(req.method ?? 'GET', path);
        limitHeaders = limited.headers;
        if (limited.refused) return send(limited.refused.status, limited.refused.body);
        // Interaction callbacks and webhooks authenticate by the token in their path, as on Discord.
        const needsBotToken = !path.startsWith('/interactions/') && !path.startsWith('/webhooks/');
        if (needsBotToken && req.headers.authorization !== `Bot ${this.token}`) return send(401, { message: '401: Unauthorized', code: 0 });
        for (const route of this.routes) {
          if (route.method !== req.method) continue;
          const match = route.pattern.exec(path);
          if (!match) continue;
          const result = route.handle({ state: this.state, gateway: this.gateway, params: match.slice(1), query: url.searchParams, body });
          if (result) return send(result.status, result.body);
        }
        send(404, { message: '404: Not Found', code: 0 });
      })();
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.gateway = new FakeGateway(this.server, this.state, this.token, () => `ws://127.0.0.1:${this.port}/gateway`);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    this.gateway.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
