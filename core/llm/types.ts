import type { CallStats } from '../events.js';

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Base64 images for a model that can see (Ollama `images`). */
  images?: string[];
}

export interface ChatRequest {
  messages: LlmMessage[];
  /** Queue lane: calls of one conversation or meeting queue behind each other, lanes take turns. */
  lane: string;
  model?: string;
  temperature?: number;
  signal?: AbortSignal;
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

export type ChatChunk = { token: string } | { done: ChatResult };
