import { CouncilError } from '../errors.js';

export type ErrorCause = 'unreachable' | 'timeout' | 'model_not_found' | 'cancelled' | 'http' | 'bad_output';

/** Turns whatever the ollama client threw into a CouncilError that names the backend and what to do. */
export function classifyOllamaError(
  error: unknown,
  context: { backend: string; model: string; timedOut: boolean; cancelled: boolean },
): { error: CouncilError; cause: ErrorCause; retryable: boolean } {
  if (error instanceof CouncilError) {
    const cause: ErrorCause =
      error.code === 'cancelled' ? 'cancelled' : error.code === 'ollama_timeout' ? 'timeout' : error.code === 'ollama_unreachable' ? 'unreachable' : 'http';
    return { error, cause, retryable: error.code === 'ollama_unreachable' };
  }
  if (context.cancelled) {
    return { error: new CouncilError('cancelled', 'the request was cancelled'), cause: 'cancelled', retryable: false };
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
  return {
    error: new CouncilError('ollama_unreachable', `cannot reach Ollama at ${context.backend} (${networkReason(error)}); start it with \`ollama serve\` or fix OLLAMA_BASE_URL`),
    cause: 'unreachable',
    retryable: true,
  };
}

function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: string }).code;
    if (code) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return ((error as Error)?.message ?? 'connection failed').split('\n', 1)[0] ?? 'connection failed';
}
