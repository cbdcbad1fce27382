import { resolve } from 'node:path';
import { createMiddleware } from 'hono/factory';
import type { ControlEnv } from '../../env.js';

export interface Internals {
  /** OLLAMA_BASE_URL's backends. */
  backends: readonly string[];
  /** DATA_DIR as configured. */
  dataDir: string;
}

/**
 * What /v1 clients see of a failure: the code and a plain message. Core's
 * messages are written for the operator (the CLI, the log, /admin) and name
 * the backend's URL or DATA_DIR's path; this rewrites those names in error
 * messages (error bodies, `error` fields, SSE error events) and drops
 * `stats.backend`, for JSON bodies and server-sent events alike. What people
 * and agents wrote (replies, turns) is left as it is.
 */
export function clientView(internals: Internals) {
  const redact = redactor(internals);
  const view = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key === 'error' ? redact(value) : value;
    if (Array.isArray(value)) return value.map((item) => view(item));
    if (!value || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(object)) {
      if (key === 'stats' && name === 'backend') continue;
      const isErrorText = name === 'message' && typeof field === 'string' && (key === 'error' || object.type === 'error');
      out[name] = isErrorText ? redact(field as string) : view(field, name);
    }
    return out;
  };
  return createMiddleware<ControlEnv>(async (c, next) => {
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (type.startsWith('application/json')) {
      const body = view(await c.res.json());
      c.res = new Response(JSON.stringify(body), c.res);
    } else if (type.startsWith('text/event-stream') && c.res.body) {
      const body = c.res.body.pipeThrough(new TextDecoderStream()).pipeThrough(rewriteDataLines((data) => JSON.stringify(view(JSON.parse(data))))).pipeThrough(new TextEncoderStream());
      c.res = new Response(body, c.res);
    }
  });
}

function redactor({ backends, dataDir }: Internals): (text: string) => string {
  const names: Array<[string, string]> = [];
  for (const url of backends) {
    names.push([`Ollama at ${url}`, 'the model server'], [url, 'the model server']);
    if (URL.canParse(url)) names.push([new URL(url).host, 'the model server']);
  }
  for (const dir of new Set([resolve(dataDir), dataDir])) names.push([`DATA_DIR ${dir}`, 'the data folder'], [dir, 'the data folder']);
  // Longest first, so "Ollama at <url>" goes as a whole before the bare URL.
  names.sort((a, b) => b[0].length - a[0].length);
  return (text) => names.reduce((out, [name, plain]) => out.replaceAll(name, plain), text);
}

/** Rewrites each complete `data: ` line of a server-sent event stream, passing the rest through as it comes. */
function rewriteDataLines(rewrite: (data: string) => string): TransformStream<string, string> {
  let pending = '';
  const line = (text: string) => (text.startsWith('data: ') ? `data: ${safely(rewrite, text.slice(6))}` : text);
  return new TransformStream({
    transform(chunk, controller) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      if (lines.length > 0) controller.enqueue(`${lines.map(line).join('\n')}\n`);
    },
    flush(controller) {
      if (pending) controller.enqueue(line(pending));
    },
  });
}

function safely(rewrite: (data: string) => string, data: string): string {
  try {
    return rewrite(data);
  } catch {
    return data;
  }
}
