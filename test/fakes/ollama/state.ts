import { defaultResponder } from './defaultResponder.js';
import { fakeEmbedding } from './embed.js';
import { FaultQueue } from './faults.js';
import { LatencyModel } from './latency.js';
import { ModelRegistry, defaultModels } from './models.js';
import { GenerationSlots } from './slots.js';
import type { Embedder, FakeOllamaOptions, RecordedRequest, Responder } from './types.js';

/** Everything the routes share; it outlives stop() and restart(), as a real server's models and settings would. */
export interface FakeState {
  latency: LatencyModel;
  slots: GenerationSlots;
  faults: FaultQueue;
  models: ModelRegistry;
  responder: Responder;
  /** What /api/embed answers for one input; the bag-of-words embedding unless a test controls the vectors. */
  embedder: Embedder;
  requests: RecordedRequest[];
  version: string;
}

export function createState(options: FakeOllamaOptions): FakeState {
  const latency = new LatencyModel({ ...(options.parallel !== undefined ? { parallel: options.parallel } : {}), ...options.latency }, options.seed);
  return {
    latency,
    slots: new GenerationSlots(() => latency.current.parallel),
    faults: new FaultQueue(),
    models: new ModelRegistry(options.models ?? defaultModels, options.embedDims ?? 384),
    responder: defaultResponder,
    embedder: fakeEmbedding,
    requests: [],
    version: options.version ?? '0.12.6',
  };
}
