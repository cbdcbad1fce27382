export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
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
  /** Metric label: what the call is for. */
  kind?: 'chat' | 'meeting' | 'minutes' | 'summary';
}

export interface ChatResult {
  content: string;
  model: string;
  backend: string;
  promptTokens: number | null;
  completionTokens: number | null;
  durationMs: number;
  ttftMs: number | null;
}

export type ChatChunk = { token: string } | { done: ChatResult };
