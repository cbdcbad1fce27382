import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultResponder } from './defaultResponder.js';
import { fakeEmbedding } from './embed.js';
import type { Fault, FakeChatRequest, FakeOllamaOptions, Latency, RecordedRequest, Responder } from './types.js';

const ns = (ms: number) => Math.round(ms * 1e6);

/** The fake's state and behaviour; index.ts wraps it in the public handle. */
export class FakeOllamaServer {
  readonly requests: RecordedRequest[] = [];
  maxConcurrent = 0;
  private concurrent = 0;
  private generating = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly faults: Fault[] = [];
  private readonly sockets = new Set<Socket>();
  private responder: Responder = defaultResponder;
  private server: Server | undefined;
  private readonly models: Set<string>;
  private readonly embedModels: Set<string>;
  latency: Latency;
  port = 0;

  constructor(private readonly options: FakeOllamaOptions = {}) {
    this.models = new Set(options.models ?? ['llama3.2']);
    this.embedModels = new Set(options.embedModels ?? ['nomic-embed-text']);
    this.latency = { ttftMs: 0, tokenMs: 0, jitterMs: 0, embedMs: 0, ...options.latency };
  }

  async listen(port = this.options.port ?? 0): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    for (const wake of this.waiting.splice(0)) wake();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setResponder(responder: Responder | null): void {
    this.responder = responder ?? defaultResponder;
  }

  failNext(fault: Fault): void {
    if ('count' in fault && fault.count === 0 && !('mode' in fault)) {
      this.faults.length = 0;
      return;
    }
    this.faults.push(fault);
  }

  addModel(name: string): void {
    this.models.add(name);
  }

  removeModel(name: string): void {
    this.models.delete(name);
  }

  resetStats(): void {
    this.requests.length = 0;
    this.maxConcurrent = this.concurrent;
    this.faults.length = 0;
  }

  private takeFault(path: 'chat' | 'embed'): Fault | undefined {
    const index = this.faults.findIndex((fault) => !fault.path || fault.path === 'any' || fault.path === path);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    const remaining = ('count' in fault && fault.count !== undefined ? fault.count : 1) - 1;
    if (remaining <= 0) this.faults.splice(index, 1);
    else this.faults[index] = { ...fault, count: remaining } as Fault;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: unknown = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return this.json(res, 400, { error: 'invalid character in request body' });
      }
    }
    this.requests.push({ path, body, at: Date.now() });
    try {
      if (req.method === 'GET' && path === '/api/tags') return this.tags(res);
      if (req.method === 'GET' && path === '/api/version') return this.json(res, 200, { version: '0.0.0-fake' });
      if (req.method === 'GET' && path === '/api/ps') return this.json(res, 200, { models: [] });
      if (req.method === 'GET' && path === '/') return void res.end('Ollama is running');
      if (req.method === 'POST' && path === '/api/show') return this.show(res, body as { model?: string; name?: string });
      if (req.method === 'POST' && path === '/api/embed') return await this.embed(req, res, body as { model: string; input: string | string[] });
      if (req.method === 'POST' && (path === '/api/chat' || path === '/api/generate')) return await this.chat(req, res, path, body as FakeChatRequest & { prompt?: string; stream?: boolean });
      return this.json(res, 404, { error: '404 page not found' });
    } catch (error) {
      if (!res.headersSent) this.json(res, 500, { error: (error as Error).message });
      else res.destroy();
    }
  }

  private tags(res: ServerResponse): void {
    const models = [...this.models, ...this.embedModels].map((name) => {
      const full = name.includes(':') ? name : `${name}:latest`;
      return { name: full, model: full, modified_at: '2026-01-01T00:00:00Z', size: 2_000_000_000, digest: 'fake', details: { family: 'llama', parameter_size: '3B', quantization_level: 'Q4_K_M' } };
    });
    this.json(res, 200, { models });
  }

  private show(res: ServerResponse, body: { model?: string; name?: string }): void {
    const model = body?.model ?? body?.name ?? '';
    if (!this.has(model) && !this.embedModels.has(strip(model))) return this.notFound(res, model);
    this.json(res, 200, { modelfile: '', parameters: '', template: '', details: { family: 'llama' }, model_info: {} });
  }

  private has(model: string): boolean {
    return this.models.has(strip(model)) || this.models.has(model);
  }

  private notFound(res: ServerResponse, model: string): void {
    this.json(res, 404, { error: `model "${model}" not found, try pulling it first` });
  }

  private async embed(req: IncomingMessage, res: ServerResponse, body: { model: string; input: string | string[] }): Promise<void> {
    if (!this.embedModels.has(strip(body?.model ?? '')) && !this.has(body?.model ?? '')) return this.notFound(res, body?.model ?? '');
    const fault = this.takeFault('embed');
    if (fault && (await this.applyEarlyFault(fault, req, res))) return;
    await sleep(this.delay(this.latency.embedMs));
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    this.json(res, 200, { model: body.model, embeddings: inputs.map((text) => fakeEmbedding(String(text), this.options.embedDims ?? 384)) });
  }

  private async chat(req: IncomingMessage, res: ServerResponse, path: string, body: FakeChatRequest & { prompt?: string; stream?: boolean }): Promise<void> {
    if (!body || typeof body.model !== 'string') return this.json(res, 400, { error: 'model is required' });
    if (!this.has(body.model)) return this.notFound(res, body.model);
    const messages = path === '/api/generate' ? [{ role: 'user', content: String(body.prompt ?? '') }] : (body.messages ?? []);
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    try {
      const fault = this.takeFault('chat');
      if (fault && (await this.applyEarlyFault(fault, req, res))) return;
      await this.acquireSlot();
      try {
        await this.generate(res, path, { ...body, messages }, body.stream !== false, fault);
      } finally {
        this.releaseSlot();
      }
    } finally {
      this.concurrent--;
    }
  }

  /** Faults that strike before any token; true when the request was answered (or dropped). */
  private async applyEarlyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!('mode' in fault)) {
      this.json(res, fault.status ?? 500, { error: fault.error ?? 'fake failure' });
      return true;
    }
    if (fault.mode === 'reset') {
      req.socket.destroy();
      return true;
    }
    if (fault.mode === 'hang') {
      await new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
      return true;
    }
    return false;
  }

  private async generate(res: ServerResponse, path: string, request: FakeChatRequest, stream: boolean, fault: Fault | undefined): Promise<void> {
    const started = performance.now();
    let text: string;
    try {
      text = fault && 'mode' in fault && fault.mode === 'invalid-json' ? 'Sure! Here are the minutes: {"summary": "unfinished' : await this.responder(request);
    } catch (error) {
      return this.json(res, (error as { status?: number }).status ?? 500, { error: (error as Error).message });
    }
    const tokens = text.match(/\S+\s*|\s+/g) ?? [''];
    const promptChars = request.messages.reduce((sum, m) => sum + String(m.content ?? '').length, 0) + JSON.stringify(request.format ?? '').length;
    const promptEvalCount = Math.max(1, Math.ceil(promptChars / 4));
    const field = path === '/api/generate' ? 'response' : 'message';
    const chunk = (content: string, done: boolean, extra: Record<string, unknown> = {}) => ({
      model: request.model,
      created_at: new Date().toISOString(),
      ...(field === 'response' ? { response: content } : { message: { role: 'assistant', content } }),
      done,
      ...extra,
    });
    await sleep(this.delay(this.latency.ttftMs));
    const ttft = performance.now() - started;
    if (!stream) {
      await sleep(this.delay(this.latency.tokenMs * tokens.length));
      return this.json(res, 200, chunk(text, true, this.finalStats(started, ttft, promptEvalCount, tokens.length)));
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const [index, token] of tokens.entries()) {
      if (res.destroyed) return;
      if (fault && 'mode' in fault && fault.mode === 'drop-after-tokens' && index >= fault.tokens) {
        res.destroy();
        return;
      }
      if (index > 0) await sleep(this.delay(this.latency.tokenMs));
      res.write(`${JSON.stringify(chunk(token, false))}\n`);
    }
    res.end(`${JSON.stringify(chunk('', true, this.finalStats(started, ttft, promptEvalCount, tokens.length)))}\n`);
  }

  private finalStats(started: number, ttftMs: number, promptEvalCount: number, evalCount: number) {
    const total = performance.now() - started;
    return {
      done_reason: 'stop',
      total_duration: ns(total),
      load_duration: ns(0),
      prompt_eval_count: promptEvalCount,
      prompt_eval_duration: ns(ttftMs),
      eval_count: evalCount,
      eval_duration: ns(total - ttftMs),
    };
  }

  private async acquireSlot(): Promise<void> {
    const parallel = this.options.parallel ?? Number.POSITIVE_INFINITY;
    while (this.generating >= parallel) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.generating++;
  }

  private releaseSlot(): void {
    this.generating--;
    this.waiting.shift()?.();
  }

  private delay(ms: number): number {
    return Math.max(0, ms + (this.latency.jitterMs > 0 ? Math.random() * this.latency.jitterMs : 0));
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}

function strip(model: string): string {
  return model.replace(/:latest$/, '');
}
