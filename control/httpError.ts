import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isCouncilError, type CouncilError } from '../core/errors.js';
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
      return 409;
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
      return 504;
    case 'database_error':
    case 'internal':
      return 503;
    default:
      return error.exitCode === 2 ? 400 : 500;
  }
}

/** CouncilErrors become JSON with the right status; anything else is logged and answered without details. */
export function onError(error: Error, c: Context<ControlEnv>): Response {
  if (error instanceof HTTPException) {
    const response = error.getResponse();
    return c.json({ error: { code: response.status === 413 ? 'body_too_large' : 'http_error', message: error.message || response.statusText } }, response.status as ContentfulStatusCode);
  }
  if (isCouncilError(error)) return c.json({ error: { code: error.code, message: error.message } }, statusOf(error));
  requestLog(c).error({ err: error }, 'unhandled error');
  return c.json({ error: { code: 'internal', message: 'internal error; see the server log for the request id' } }, 500);
}

export function badRequest(c: Context, code: string, message: string): Response {
  return c.json({ error: { code, message } }, 400);
}
