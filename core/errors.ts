/**
 * Every failure a person can see is a CouncilError: a stable code for machines,
 * one line for people (what went wrong and what to do), and the exit code the
 * CLI uses (2: the caller asked for something that does not exist or is malformed;
 * 1: something outside us failed: Ollama, the database, Discord).
 */
export type ErrorCode =
  | 'bad_usage'
  | 'bad_config'
  | 'bad_role'
  | 'unknown_agent'
  | 'unknown_meeting_type'
  | 'unknown_meeting'
  | 'unknown_job'
  | 'unknown_key'
  | 'unsupported_media_type'
  | 'no_topic'
  | 'message_too_long'
  | 'ollama_unreachable'
  | 'ollama_timeout'
  | 'model_not_found'
  | 'ollama_error'
  | 'cancelled'
  | 'bad_structured_output'
  | 'database_error'
  | 'bad_import'
  | 'meeting_not_resumable'
  | 'unauthorized'
  | 'internal';

const usageCodes: ReadonlySet<ErrorCode> = new Set([
  'bad_usage',
  'bad_config',
  'bad_role',
  'unknown_agent',
  'unknown_meeting_type',
  'unknown_meeting',
  'unknown_job',
  'unknown_key',
  'unsupported_media_type',
  'no_topic',
  'message_too_long',
  'bad_import',
  'meeting_not_resumable',
  'unauthorized',
]);

export class CouncilError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CouncilError';
    this.code = code;
    this.details = options.details ?? {};
  }

  /** 2 for what the caller got wrong, 1 for failures outside the caller's control. */
  get exitCode(): 1 | 2 {
    return usageCodes.has(this.code) ? 2 : 1;
  }

  /** true when the caller named something that does not exist (HTTP 404). */
  get isNotFound(): boolean {
    return this.code === 'unknown_agent' || this.code === 'unknown_meeting_type' || this.code === 'unknown_meeting' || this.code === 'unknown_job' || this.code === 'unknown_key';
  }
}

export function isCouncilError(error: unknown): error is CouncilError {
  return error instanceof CouncilError;
}

/** One line for a person, whatever was thrown: never a stack trace. */
export function toUserMessage(error: unknown): string {
  if (isCouncilError(error)) return error.message;
  if (error instanceof Error) return `unexpected error: ${firstLine(error.message)}`;
  return `unexpected error: ${firstLine(String(error))}`;
}

export function toCouncilError(error: unknown): CouncilError {
  if (isCouncilError(error)) return error;
  return new CouncilError('internal', toUserMessage(error), { cause: error });
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
