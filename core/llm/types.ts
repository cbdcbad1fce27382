import type { CallStats } from '../events.js';

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 images for a model that can see (Ollama `images`). */
  images?: string[];
  /** An assistant message that called tools, sent back so the model sees what it asked for. */
  tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>;
  /** A `tool` message: the tool whose result it carries. */
  tool_name?: string;
}

/** A function offered to the model (Ollama `tools`). */
export interface LlmTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** A tool call as the model made it: `arguments` is whatever it sent, checked before anything runs. */
export interface ModelToolCall {
  name: string;
  arguments: unknown;
}

export interface ChatRequest {
  messages: LlmMessage[];
  /** Queue lane: calls of one conversation or meeting queue behind each other, lanes take turns. */
  lane: string;
  model?: string;
  temperature?: number;
  signal?: AbortSignal;
  /** Functions the model may call; its calls come back on the done chunk. */
  tools?: LlmTool[];
  /** Ollama structured output: a JSON schema object, or 'json'. */
  format?: Record<string, unknown> | 'json';
  /** Stops generation after this many tokens (Ollama's num_predict): a capped answer for a small structured reply. */
  maxTokens?: number;
  /** Metric label: what the call is for. */
  kind?: 'chat' | 'meeting' | 'facilitator' | 'minutes' | 'summary';
}

/** A finished call: its text and the stats stored with the message. */
export interface ChatResult extends CallStats {
  content: string;
}

/** Tokens as they stream, then one `done`; a model that called tools lists the calls beside it. */
export type ChatChunk = { token: string } | { done: ChatResult; toolCalls?: ModelToolCall[] };
