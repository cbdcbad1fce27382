export interface FakeMessage {
  role: string;
  content: string;
  /** An assistant message that called tools, as sent back in the conversation. */
  tool_calls?: FakeToolCall[];
  /** A `tool` message: which tool's result it carries. */
  tool_name?: string;
}

/** A function the client offers the model (Ollama `tools`). */
export interface FakeTool {
  type: string;
  function: { name: string; description?: string; parameters?: unknown };
}

/**
 * A tool call as Ollama sends it in `message.tool_calls`. A responder may
 * script a misbehaving model: a name that was never offered, or arguments
 * that are not an object.
 */
export interface FakeToolCall {
  function: { name: string; arguments: unknown };
}

/** A scripted answer that may call tools instead of (or besides) saying something. */
export interface FakeReply {
  content?: string;
  tool_calls?: FakeToolCall[];
}

/** What a responder sees: /api/generate is turned into messages too (system, then the prompt). */
export interface FakeChatRequest {
  model: string;
  messages: FakeMessage[];
  format?: unknown;
  options?: Record<string, unknown>;
  /** The tools offered (/api/chat only); empty or absent when none. */
  tools?: FakeTool[];
}

/** Return the answer text (or a reply that calls tools); throw an Error with `status` to answer with that HTTP error. */
export type Responder = (request: FakeChatRequest) => string | FakeReply | Promise<string | FakeReply>;

/** One embedding: `dims` numbers for `text`. */
export type Embedder = (text: string, dims: number) => number[];

export interface Latency {
  /** Time to the first token. */
  ttftMs: number;
  /** Extra time to first token per prompt token, so longer prompts answer later as on a real GPU. */
  promptTokenMs: number;
  /** Gap between streamed tokens. */
  tokenMs: number;
  /** Random extra (0..jitterMs) added to every delay. */
  jitterMs: number;
  /** Time to answer an embedding request. */
  embedMs: number;
  /** Generations served at once, like OLLAMA_NUM_PARALLEL; more queue inside the fake, first come first served. */
  parallel: number;
}

/** Which requests a fault may strike: chat covers /api/chat and /api/generate, embed covers /api/embed and /api/embeddings. */
export type FaultPath = 'chat' | 'embed' | 'any';

interface FaultScope {
  /** How many matching requests it strikes (default 1). */
  count?: number;
  /** Default 'any'. */
  path?: FaultPath;
}

export type Fault =
  /** An HTTP error with Ollama's body shape; `failNext({ count: 0 })` clears every pending fault. */
  | (FaultScope & { mode?: undefined; status?: number; error?: string })
  /** hang: never answers until the client goes away or the fake stops; reset: destroys the socket before answering. */
  | (FaultScope & { mode: 'hang' | 'reset' })
  /** Streams text that is not valid JSON; strikes only requests that ask for structured output (`format`). */
  | (FaultScope & { mode: 'invalid-json' })
  /** Destroys the socket after that many streamed tokens; generations only. */
  | (FaultScope & { mode: 'drop-after-tokens'; tokens: number })
  /** Streams that many tokens, then sends nothing more but keeps the connection open (holding its slot) until the client leaves; generations only. */
  | (FaultScope & { mode: 'stall-after-tokens'; tokens: number });

export interface RecordedRequest {
  method: string;
  path: string;
  /** The parsed JSON body (the raw text when it was not JSON, undefined when empty). */
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeModel {
  name: string;
  kind: 'chat' | 'embedding';
  /** Embedding size; defaults to options.embedDims. */
  dims?: number;
  /** A chat model that reads images: /api/show lists "vision" among its capabilities. */
  vision?: boolean;
  /** false: a chat model without tool calling (/api/show lacks "tools"; a request with tools gets 400). Default true. */
  tools?: boolean;
}

export interface FakeOllamaOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Installed models, replacing the defaults (llama3.2 for chat, nomic-embed-text for embeddings); a bare name is a chat model. */
  models?: Array<string | FakeModel>;
  /** Embedding size for models that do not set their own (default 384). */
  embedDims?: number;
  /** Shorthand for latency.parallel. */
  parallel?: number;
  latency?: Partial<Latency>;
  /** Seeds the jitter, so a benchmark run can be repeated exactly. */
  seed?: number;
  /** What GET /api/version reports. */
  version?: string;
}
