import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/** An answer with an HTTP error; routes throw it and the server writes Ollama's `{ error }` body. */
export class OllamaHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function modelNotFound(model: string): OllamaHttpError {
  return new OllamaHttpError(404, `model "${model}" not found, try pulling it first`);
}

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body already read; Ollama answers 400 for an empty or malformed one. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new OllamaHttpError(400, 'missing request body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OllamaHttpError(400, `invalid JSON in request body: ${(error as Error).message}`);
  }
}

/** Validates a body against the route's schema, answering 400 with the first problem. */
export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.path[0] === 'model') throw new OllamaHttpError(400, 'model is required');
  throw new OllamaHttpError(400, issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Aborts when the client goes away (or the fake stops) before the answer was complete. */
export function disconnectSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
