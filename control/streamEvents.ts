import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { toCouncilError } from '../core/errors.js';
import type { CouncilEvent } from '../core/events.js';

/**
 * Sends a core event stream as server-sent events (event: <type>, data: JSON).
 * A client that goes away aborts `controller`, which cancels the model call.
 */
export function streamEvents(c: Context, controller: AbortController, events: () => AsyncIterable<CouncilEvent>): Response {
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => controller.abort());
    try {
      for await (const event of events()) {
        if (stream.aborted) break;
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
      }
    } catch (error) {
      const failure = toCouncilError(error);
      if (!stream.aborted) await stream.writeSSE({ event: 'error', data: JSON.stringify({ type: 'error', code: failure.code, message: failure.message }) });
    }
  });
}

export function wantsEventStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/event-stream');
}

/** An AbortController that fires when the HTTP client disconnects. */
export function requestAbort(c: Context): AbortController {
  const controller = new AbortController();
  c.req.raw.signal.addEventListener('abort', () => controller.abort(), { once: true });
  return controller;
}
