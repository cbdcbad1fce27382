import { defaultResponder } from './defaultResponder.js';
import { fakeEmbedding } from './embed.js';
import { FakeOllamaServer } from './server.js';
import { createState } from './state.js';
import type { Embedder, FakeModel, FakeOllamaOptions, Fault, Latency, RecordedRequest, Responder } from './types.js';

export { defaultResponder } from './defaultResponder.js';
export { fakeEmbedding } from './embed.js';
export { idsShown, scriptExtraction } from './extractionScript.js';
export { isExtractionRequest } from './isExtractionRequest.js';
export { jsonSchemaInstance } from './jsonSchemaInstance.js';
export type { Embedder, FakeChatRequest, FakeMessage, FakeModel, FakeOllamaOptions, FakeReply, FakeTool, FakeToolCall, Fault, FaultPath, Latency, RecordedRequest, Responder } from './types.js';

export interface FakeOllama {
  readonly url: string;
  readonly port: number;
  /** Every request received, in order, until resetStats(). */
  readonly requests: RecordedRequest[];
  /** Generations running now (holding one of the `parallel` slots). */
  readonly concurrent: number;
  /** The most generations running at once since the last resetStats(); never above `parallel`. */
  readonly maxConcurrent: number;
  /** The most chat/generate requests open at once (queued ones included) since the last resetStats(): what a client-side limiter controls. */
  readonly maxInFlight: number;
  /** Generation requests waiting for a slot now. */
  readonly queued: number;
  /** Changes timings and `parallel` from now on; unset fields keep their value. */
  setLatency(latency: Partial<Latency>): void;
  /** Arms a fault for the next matching request(s); `failNext({ count: 0 })` disarms them all. */
  failNext(fault: Fault): void;
  /** null restores the default responder. */
  setResponder(responder: Responder | null): void;
  /** Controls the vectors /api/embed answers (a vector of `dims` numbers per text, returned as given); null restores the bag-of-words embedding. */
  setEmbedder(embedder: Embedder | null): void;
  addModel(model: string | FakeModel): void;
  removeModel(name: string): void;
  /** Forgets recorded requests, peaks and armed faults. */
  resetStats(): void;
  /** Closes the listener and every connection, hanging ones included. */
  stop(): Promise<void>;
  /** Listens again on the same port (stopping first if still up); models, latency and responder are kept. */
  restart(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that speaks Ollama's API, for tests and benchmarks. */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const state = createState(options);
  const server = new FakeOllamaServer(state);
  const port = await server.listen(options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    get concurrent() {
      return state.slots.running;
    },
    get maxConcurrent() {
      return state.slots.maxRunning;
    },
    get maxInFlight() {
      return state.slots.maxInFlight;
    },
    get queued() {
      return state.slots.queued;
    },
    setLatency(latency) {
      state.latency.update(latency);
      state.slots.grantFree();
    },
    failNext: (fault) => state.faults.arm(fault),
    setResponder(responder) {
      state.responder = responder ?? defaultResponder;
    },
    setEmbedder(embedder) {
      state.embedder = embedder ?? fakeEmbedding;
    },
    addModel: (model) => state.models.add(model),
    removeModel: (name) => state.models.remove(name),
    resetStats() {
      state.requests.length = 0;
      state.slots.resetPeaks();
      state.faults.clear();
    },
    stop: () => server.stop(),
    async restart() {
      await server.stop();
      await server.listen(port);
    },
  };
}
