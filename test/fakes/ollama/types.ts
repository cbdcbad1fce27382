export interface FakeMessage {
  role: string;
  content: string;
}

export interface FakeChatRequest {
  model: string;
  messages: FakeMessage[];
  format?: unknown;
  options?: Record<string, unknown>;
}

/** Return the answer text; throw an Error with `status` to answer with that HTTP error. */
export type Responder = (request: FakeChatRequest) => string | Promise<string>;

export interface Latency {
  /** Time to the first token. */
  ttftMs: number;
  /** Gap between tokens. */
  tokenMs: number;
  /** Random extra on each delay, 0..jitterMs. */
  jitterMs: number;
  /** Time to answer an embedding request. */
  embedMs: number;
}

export type Fault =
  | { count: number; status?: number; error?: string; path?: 'chat' | 'embed' | 'any' }
  | { mode: 'hang' | 'reset' | 'invalid-json'; count?: number; path?: 'chat' | 'embed' | 'any' }
  | { mode: 'drop-after-tokens'; tokens: number; count?: number; path?: 'chat' | 'embed' | 'any' };

export interface RecordedRequest {
  path: string;
  body: unknown;
  at: number;
}

export interface FakeOllamaOptions {
  port?: number;
  models?: string[];
  embedModels?: string[];
  embedDims?: number;
  /** Generations served at once, like OLLAMA_NUM_PARALLEL; more queue inside the fake. */
  parallel?: number;
  latency?: Partial<Latency>;
}
