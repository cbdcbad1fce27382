import { FakeOllamaServer } from './server.js';
import type { Fault, FakeOllamaOptions, Latency, RecordedRequest, Responder } from './types.js';

export type { Fault, FakeChatRequest, FakeOllamaOptions, Latency, RecordedRequest, Responder } from './types.js';

export interface FakeOllama {
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The most chat/generate requests open at once since the last resetStats(). */
  readonly maxConcurrent: number;
  setLatency(latency: Partial<Latency>): void;
  failNext(fault: Fault): void;
  setResponder(responder: Responder | null): void;
  addModel(name: string): void;
  removeModel(name: string): void;
  resetStats(): void;
  stop(): Promise<void>;
  /** Listens again on the same port (after stop()). */
  restart(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that speaks Ollama's API, for tests and benchmarks. */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const server = new FakeOllamaServer(options);
  await server.listen();
  const port = server.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return server.requests;
    },
    get maxConcurrent() {
      return server.maxConcurrent;
    },
    setLatency: (latency) => {
      server.latency = { ...server.latency, ...latency };
    },
    failNext: (fault) => server.failNext(fault),
    setResponder: (responder) => server.setResponder(responder),
    addModel: (name) => server.addModel(name),
    removeModel: (name) => server.removeModel(name),
    resetStats: () => server.resetStats(),
    stop: () => server.close(),
    restart: () => server.listen(port),
  };
}
