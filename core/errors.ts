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
  | 'ollama_stalled'
  | 'model_not_found'
  | 'ollama_error'
  | 'cancelled'
  | 'bad_structured_output'
  | 'database_error'
  | 'bad_import'
  | 'meeting_not_resumable'
  /** The meeting is not in a state that allows this (pausing a finished one, speaking in a cancelled one). */
  | 'meeting_state'
  | 'unknown_action_item'
  | 'unknown_memory'
  | 'forbidden'
  | 'unauthorized'
  /** Too many requests already wait (a person's or a channel's queue is full): try again when they are answered. */
  | 'busy'
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
  'meeting_state',
  'unknown_action_item',
  'unknown_memory',
  'forbidden',
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
    return this.code === 'unknown_agent' || this.code === 'unknown_meeting_type' || this.code === 'unknown_meeting' || this.code === 'unknown_job' || this.code === 'unknown_key' || this.code === 'unknown_action_item' || this.code === 'unknown_memory';
  }
}

/**
 * Work stopped on purpose so it can go on later (the process shutting down, a
 * face that can no longer show it): neither a failure nor a cancel. Thrown, or
 * given as an AbortSignal's reason, and recognised by its class.
 */
export class ShutdownError extends CouncilError {
  constructor(message = 'the process is shutting down') {
    super('cancelled', message);
    this.name = 'ShutdownError';
  }
}

export function isCouncilError(error: unknown): error is CouncilError {
  return error instanceof CouncilError;
}

/** One line for a person, whatever was thrown: never a stack trace, SQL, parameters or addresses. */
export function toUserMessage(error: unknown): string {
  return toCouncilError(error).message;
}

/**
 * A CouncilError for whatever was thrown. Driver failures become
 * `database_error` with a plain reason; anything else is `internal` with no
 * detail, because a foreign message may carry SQL, user text or host:port.
 * The original stays as `cause` for the log.
 */
export function toCouncilError(error: unknown): CouncilError {
  if (isCouncilError(error)) return error;
  // A CouncilError under a wrapper (drizzle's "Failed query") already says what to tell people.
  for (let cause = (error as { cause?: unknown } | null)?.cause, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (isCouncilError(cause)) return cause;
  }
  const reason = databaseReason(error);
  // Text that slipped past the faces' checks (a NUL byte) is the input's fault: retrying cannot help.
  if (reason === unstorableText) return new CouncilError('bad_usage', 'the text contains a character the database cannot store (a NUL, \\u0000); remove it', { cause: error });
  if (reason) return new CouncilError('database_error', `the database could not complete the request (${reason}); try again shortly`, { cause: error });
  return new CouncilError('internal', 'unexpected internal error; the server log has the cause', { cause: error });
}

const unstorableText = 'text it cannot store';

const sqlStates: Record<string, string> = {
  '22021': unstorableText,
  '22P05': unstorableText,
  '53100': 'disk full',
  '53200': 'out of memory',
  '53300': 'too many connections',
  '57P01': 'the server is shutting down',
  '57P02': 'the server is restarting',
  '57P03': 'the server is starting up',
  '57014': 'query cancelled',
  '40001': 'conflict with another writer',
  '40P01': 'deadlock',
  '28P01': 'authentication failed',
  '3D000': 'database does not exist',
  '25P02': 'transaction aborted',
};

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EPIPE: 'connection lost',
  ENOSPC: 'no space left on the device',
  CONNECTION_CLOSED: 'connection closed',
  CONNECTION_ENDED: 'connection ended',
  CONNECTION_DESTROYED: 'connection lost',
  CONNECT_TIMEOUT: 'connection timed out',
};

/** A plain reason when `error` (or a cause under it) comes from the database driver, else null. */
export function databaseReason(error: unknown): string | null {
  let current = error as { code?: unknown; message?: unknown; cause?: unknown; severity?: unknown } | null;
  let failedQuery = false;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = typeof current.code === 'string' ? current.code : undefined;
    if (code && networkCodes[code]) return networkCodes[code];
    if (code && /^[0-9A-Z]{5}$/.test(code) && (current.severity !== undefined || failedQuery || /^[0-9]{2}/.test(code))) return sqlStates[code] ?? `error ${code}`;
    if (typeof current.message === 'string' && current.message.startsWith('Failed query')) failedQuery = true;
    current = current.cause as typeof current;
  }
  return failedQuery ? 'query failed' : null;
}

/** The cause worth logging: code and first line, never the query text or parameters a driver attaches. */
export function describeError(error: unknown): { code?: string; message: string } {
  let err = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  // Drizzle wraps driver errors as "Failed query: <sql> params: <user text>"; the cause is what failed.
  while (err && typeof err.message === 'string' && err.message.startsWith('Failed query') && err.cause) err = err.cause as typeof err;
  const message = typeof err?.message === 'string' ? err.message.split('\n', 1)[0]!.slice(0, 300) : String(error).slice(0, 300);
  return typeof err?.code === 'string' ? { code: err.code, message } : { message };
}
