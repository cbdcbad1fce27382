import { CouncilError } from '../errors.js';

/** council_llm_errors_total{cause}: LlmClient exports every cause at 0 for each model and backend it starts with. */
export const errorCauses = ['unreachable', 'timeout', 'stalled', 'interrupted', 'model_not_found', 'cancelled', 'http', 'bad_output'] as const;
export type ErrorCause = (typeof errorCauses)[number];

export interface OllamaErrorContext {
  backend: string;
  model: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the call was stopped because nothing came for this long. */
  stalledMs?: number | undefined;
  /** Tokens already streamed to the caller when it failed. */
  streamedTokens?: number;
}

/** Turns whatever the ollama client threw into a CouncilError that names the backend and what to do. */
export function classifyOllamaError(error: unknown, context: OllamaErrorContext): { error: CouncilError; cause: ErrorCause; retryable: boolean } {
  if (error instanceof CouncilError) {
    const cause: ErrorCause =
      error.code === 'cancelled' ? 'cancelled' : error.code === 'ollama_timeout' ? 'timeout' : error.code === 'ollama_unreachable' ? 'unreachable' : error.code === 'ollama_stalled' ? 'stalled' : 'http';
    return { error, cause, retryable: error.code === 'ollama_unreachable' };
  }
  if (context.cancelled) {
    return { error: new CouncilError('cancelled', 'the request was cancelled'), cause: 'cancelled', retryable: false };
  }
  if (context.stalledMs !== undefined) {
    const after = context.streamedTokens ? ` after ${context.streamedTokens} tokens` : ' before the first token';
    return {
      error: new CouncilError(
        'ollama_stalled',
        `Ollama at ${context.backend} stopped sending${after} (nothing for ${Math.round(context.stalledMs / 1000)} s, OLLAMA_STALL_MS); the call was stopped and its slot freed. The model may be stuck or the server overloaded; try again`,
      ),
      cause: 'stalled',
      retryable: false,
    };
  }
  if (context.timedOut) {
    return {
      error: new CouncilError(
        'ollama_timeout',
        `Ollama at ${context.backend} did not finish in time; the model may be overloaded (raise OLLAMA_TIMEOUT_MS or add a backend to OLLAMA_BASE_URL)`,
      ),
      cause: 'timeout',
      retryable: false,
    };
  }
  const message = (error as Error)?.message ?? String(error);
  const status = (error as { status_code?: number })?.status_code;
  if (status === 404 || /model .*not found/i.test(message)) {
    return {
      error: new CouncilError('model_not_found', `model "${context.model}" is not installed on Ollama at ${context.backend}; run: ollama pull ${context.model}`),
      cause: 'model_not_found',
      retryable: false,
    };
  }
  if (status !== undefined) {
    return {
      error: new CouncilError('ollama_error', `Ollama at ${context.backend} answered ${status}: ${message.split('\n', 1)[0]}`),
      cause: 'http',
      retryable: status >= 500,
    };
  }
  if (context.streamedTokens) {
    return {
      error: new CouncilError(
        'ollama_error',
        `Ollama at ${context.backend} cut the reply off after ${context.streamedTokens} tokens (${networkReason(error)}); the partial reply was not stored, try again`,
      ),
      cause: 'interrupted',
      retryable: false,
    };
  }
  const reason = networkReason(error);
  if (!refusedConnection.has(reason)) {
    // It answered the connection (the address is right), then dropped it before a token: a crash or restart, not a wrong URL.
    return {
      error: new CouncilError(
        'ollama_unreachable',
        `Ollama at ${context.backend} closed the connection before the first token (${reason}); it may have crashed or restarted, so try again (\`ollama ps\` shows what it runs)`,
      ),
      cause: 'interrupted',
      retryable: true,
    };
  }
  return {
    error: new CouncilError('ollama_unreachable', `cannot reach Ollama at ${context.backend} (${reason}); start it with \`ollama serve\` or fix OLLAMA_BASE_URL`),
    cause: 'unreachable',
    retryable: true,
  };
}

/** Errors that mean nothing listens at the address, or the name does not resolve: the server is down or the URL is wrong. */
const refusedConnection = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'EADDRNOTAVAIL']);

function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: string }).code;
    if (code) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return ((error as Error)?.message ?? 'connection failed').split('\n', 1)[0] ?? 'connection failed';
}
