import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeError, toCouncilError, type CouncilError } from '../core/errors.js';
import { requestLog } from './middleware/accessLog/index.js';
import type { ControlEnv } from './types.js';

function statusOf(error: CouncilError): ContentfulStatusCode {
  if (error.isNotFound) return 404;
  switch (error.code) {
    case 'unauthorized':
      return 401;
    case 'unsupported_media_type':
      return 415;
    case 'meeting_not_resumable':
    case 'meeting_state':
      return 409;
    case 'forbidden':
      return 403;
    case 'message_too_long':
      return 413;
    case 'cancelled':
      return 499 as ContentfulStatusCode;
    case 'ollama_unreachable':
    case 'model_not_found':
    case 'ollama_error':
    case 'bad_structured_output':
      return 502;
    case 'ollama_timeout':
    case 'ollama_stalled':
      return 504;
    case 'database_error':
    case 'internal':
      return 503;
    default:
      return error.exitCode === 2 ? 400 : 500;
  }
}

/**
 * Clients get a code and a plain message (never SQL, parameters or host:port);
 * the log gets the cause of every 5xx, described without query text or user data.
 */
export function onError(error: Error, c: Context<ControlEnv>): Response {
  if (error instanceof HTTPException) {
    const response = error.getResponse();
    // hono's own exceptions often carry neither a message nor a status text: never answer an empty message.
    const message = error.message || response.statusText || (response.status === 413 ? 'the body is too large; send a smaller one' : `the request failed with HTTP ${response.status}`);
    return c.json({ error: { code: response.status === 413 ? 'body_too_large' : 'http_error', message } }, response.status as ContentfulStatusCode);
  }
  const failure = toCouncilError(error);
  const status = statusOf(failure);
  if (status >= 500) {
    const fields = { code: failure.code, status, err: describeError(failure.cause ?? failure) };
    if (failure.code === 'internal' || failure.code === 'database_error') requestLog(c).error(fields, 'request failed');
    else requestLog(c).warn(fields, 'request failed');
  }
  return c.json({ error: { code: failure.code, message: failure.message } }, status);
}

export function badRequest(c: Context, code: string, message: string): Response {
  return c.json({ error: { code, message } }, 400);
}

/** The answer of a body limit (hono's bodyLimit onError): the usual JSON error, naming the limit and what to do instead. */
export function bodyTooLarge(limit: string, advice: string) {
  return (c: Context) => c.json({ error: { code: 'body_too_large', message: `the body is over the ${limit} limit; ${advice}` } }, 413);
}
