import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/index.js';
import { CouncilError } from '../errors.js';
import { exportAtZero, metrics } from '../metrics.js';
import { Backend, type BackendProbe } from './backend.js';
import { classifyOllamaError, errorCauses } from './classifyOllamaError.js';
import { ModelCapabilities } from './modelCapabilities.js';
import type { ChatChunk, ChatRequest, ChatResult, ModelToolCall } from './types.js';

export type LlmSettings = Pick<
  Config,
  'OLLAMA_BASE_URL' | 'MODEL_NAME' | 'EMBED_MODEL' | 'TEMPERATURE' | 'OLLAMA_NUM_PARALLEL' | 'OLLAMA_TIMEOUT_MS' | 'OLLAMA_CONNECT_TIMEOUT_MS' | 'OLLAMA_RETRIES' | 'CONTEXT_TOKENS'
> &
  Partial<Pick<Config, 'OLLAMA_STALL_MS'>>;

/**
 * Every model call goes through here: backend choice, fair slots, timeout,
 * cancellation, retries before the first token, metrics.
 */
export class LlmClient {
  readonly backends: Backend[];
  private latestProbe: { at: number; probes: Promise<BackendProbe[]> } | undefined;
  readonly capabilities = new ModelCapabilities(async (model, signal) => (await this.pick(new Set()).client(signal).show({ model })).capabilities ?? []);

  constructor(readonly settings: LlmSettings) {
    this.backends = settings.OLLAMA_BASE_URL.map(
      (url) => new Backend(url, settings.OLLAMA_NUM_PARALLEL, settings.OLLAMA_CONNECT_TIMEOUT_MS),
    );
    exportAtZero(metrics.llmErrors, { model: [...new Set([settings.MODEL_NAME, settings.EMBED_MODEL])], backend: this.backends.map((backend) => backend.url), cause: errorCauses });
  }

  get model(): string {
    return this.settings.MODEL_NAME;
  }

  /** The model (the chat model by default) reads images; asked of Ollama once per model. */
  canSee(model: string = this.settings.MODEL_NAME): Promise<boolean> {
    return this.capabilities.canSee(model);
  }

  /** The model can call tools (its /api/show capabilities list "tools"): Ollama refuses tools to one that cannot. */
  async canCallTools(model: string = this.settings.MODEL_NAME): Promise<boolean> {
    return (await this.capabilities.of(model)).includes('tools');
  }

  /** Streams tokens, then one `done` chunk with the call's stats. */
  async *streamChat(request: ChatRequest): AsyncGenerator<ChatChunk> {
    const model = request.model ?? this.settings.MODEL_NAME;
    // Aborted when this generator ends for any reason, so a consumer that stops reading also stops Ollama.
    const finished = new AbortController();
    const signal = AbortSignal.any([finished.signal, ...(request.signal ? [request.signal] : [])]);
    try {
      yield* this.attempts(request, model, signal);
    } finally {
      finished.abort();
    }
  }

  private async *attempts(request: ChatRequest, model: string, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const tried = new Set<Backend>();
    const stallMs = this.settings.OLLAMA_STALL_MS ?? 60_000;
    // The generation budget starts when a slot is ours: time queued behind other callers is not this caller's to lose.
    let deadline: AbortSignal | undefined;
    for (let attempt = 0; ; attempt++) {
      const backend = this.pick(tried);
      tried.add(backend);
      let streamed = 0;
      const queuedAt = performance.now();
      let release: (() => void) | undefined;
      const stall = new StallTimer(stallMs);
      try {
        release = await backend.limiter.acquire(request.lane, signal);
        metrics.llmQueueWait.observe({ backend: backend.url }, (performance.now() - queuedAt) / 1000);
        deadline ??= AbortSignal.timeout(this.settings.OLLAMA_TIMEOUT_MS);
        const callSignal = AbortSignal.any([signal, deadline, stall.signal]);
        await backend.ensureReachable();
        const startedAt = performance.now();
        let ttftMs: number | null = null;
        let content = '';
        stall.arm();
        const stream = await backend.client(callSignal).chat({
          model,
          messages: request.messages,
          stream: true,
          ...(request.format ? { format: request.format } : {}),
          ...(request.tools && request.tools.length > 0 ? { tools: request.tools } : {}),
          options: { temperature: request.temperature ?? this.settings.TEMPERATURE, num_ctx: this.settings.CONTEXT_TOKENS, ...(request.maxTokens ? { num_predict: request.maxTokens } : {}) },
        });
        let final: { prompt_eval_count?: number; eval_count?: number } | undefined;
        const toolCalls: ModelToolCall[] = [];
        for await (const part of stream) {
          stall.arm();
          for (const call of part.message?.tool_calls ?? []) toolCalls.push({ name: String(call.function?.name ?? ''), arguments: call.function?.arguments });
          const token = part.message?.content ?? '';
          if (token) {
            if (ttftMs === null) {
              ttftMs = performance.now() - startedAt;
              metrics.llmTimeToFirstToken.observe({ model, backend: backend.url }, ttftMs / 1000);
            }
            streamed++;
            content += token;
            // A slow reader (a Discord edit, an SSE client) is not Ollama stalling.
            stall.disarm();
            yield { token };
            stall.arm();
          }
          if (part.done) final = part;
        }
        stall.disarm();
        if (!final) throw new StreamEnded();
        backend.markAnswered();
        const durationMs = performance.now() - startedAt;
        const result: ChatResult = {
          content,
          model,
          backend: backend.url,
          promptTokens: final.prompt_eval_count ?? null,
          completionTokens: final.eval_count ?? null,
          durationMs: Math.round(durationMs),
          ttftMs: ttftMs === null ? null : Math.round(ttftMs),
        };
        metrics.llmRequestDuration.observe({ model, backend: backend.url, kind: request.kind ?? 'chat' }, durationMs / 1000);
        if (result.promptTokens !== null) metrics.llmTokens.inc({ model, backend: backend.url, direction: 'prompt' }, result.promptTokens);
        if (result.completionTokens !== null) metrics.llmTokens.inc({ model, backend: backend.url, direction: 'completion' }, result.completionTokens);
        yield toolCalls.length > 0 ? { done: result, toolCalls } : { done: result };
        return;
      } catch (error) {
        if (stall.fired) backend.markStalled(stallMs);
        const classified = classifyOllamaError(error, {
          backend: backend.url,
          model,
          timedOut: deadline?.aborted ?? false,
          cancelled: request.signal?.aborted ?? false,
          stalledMs: stall.fired ? stallMs : undefined,
          streamedTokens: streamed,
        });
        metrics.llmErrors.inc({ model, backend: backend.url, cause: classified.cause });
        if (streamed > 0 || !classified.retryable || attempt >= this.settings.OLLAMA_RETRIES) throw classified.error;
        release?.();
        release = undefined;
        await sleep(200 * 2 ** attempt, undefined, { signal: deadline ? AbortSignal.any([signal, deadline]) : signal }).catch(() => {
          throw classifyOllamaError(new Error('aborted'), { backend: backend.url, model, timedOut: deadline?.aborted ?? false, cancelled: request.signal?.aborted ?? false }).error;
        });
      } finally {
        stall.disarm();
        release?.();
      }
    }
  }

  /** The whole reply at once; tokens are still streamed from Ollama so the timeout and metrics behave the same. */
  async chat(request: ChatRequest): Promise<ChatResult> {
    for await (const chunk of this.streamChat(request)) {
      if ('done' in chunk) return chunk.done;
    }
    throw new CouncilError('ollama_error', 'Ollama ended the stream without a final message');
  }

  /** Embeddings for memory recall; a short timeout because a chat waits on it. */
  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const backend = this.pick(new Set());
    const model = this.settings.EMBED_MODEL;
    const timeout = AbortSignal.timeout(15_000);
    try {
      await backend.ensureReachable();
      const response = await backend.client(signal ? AbortSignal.any([signal, timeout]) : timeout).embed({ model, input: texts });
      return response.embeddings;
    } catch (error) {
      const classified = classifyOllamaError(error, { backend: backend.url, model, timedOut: timeout.aborted, cancelled: signal?.aborted ?? false });
      metrics.llmErrors.inc({ model, backend: backend.url, cause: classified.cause });
      throw classified.error;
    }
  }

  /** Readiness of every backend: it answers, has the chat and embedding models, and has not stalled. */
  probe(): Promise<BackendProbe[]> {
    const models = [...new Set([this.settings.MODEL_NAME, this.settings.EMBED_MODEL])];
    const probes = Promise.all(this.backends.map((backend) => backend.probe(models)));
    this.latestProbe = { at: Date.now(), probes };
    return probes;
  }

  /**
   * The probe started within `maxAgeMs` (also one still out), else a new one:
   * what only gates work on "does a backend answer" (the meeting supervisors,
   * beside the metric's timer) shares probes instead of each sending its own.
   */
  recentProbe(maxAgeMs: number): Promise<BackendProbe[]> {
    const latest = this.latestProbe;
    return latest && Date.now() - latest.at <= maxAgeMs ? latest.probes : this.probe();
  }

  /** Least loaded backend not tried yet in this call; all tried means start over. */
  private pick(tried: Set<Backend>): Backend {
    const candidates = this.backends.filter((backend) => !tried.has(backend));
    const pool = candidates.length > 0 ? candidates : this.backends;
    return pool.reduce((best, backend) => (backend.load < best.load ? backend : best));
  }
}

/** Thrown when Ollama's stream ends without its final `done` chunk: the reply is incomplete. */
class StreamEnded extends Error {
  constructor() {
    super('the stream ended before Ollama sent its final message');
    this.name = 'StreamEnded';
  }
}

/** Aborts `signal` when `arm()` is not called again within `ms`: Ollama went silent on an open connection. */
class StallTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(private readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error('stalled'));
    }, this.ms);
    this.timer.unref();
  }

  disarm(): void {
    clearTimeout(this.timer);
  }
}
