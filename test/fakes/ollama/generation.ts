import type { ServerResponse } from 'node:http';
import { OllamaHttpError, sendJson } from './http.js';
import type { FakeState } from './state.js';
import { promptTokenCount, tokenize } from './tokens.js';
import type { Fault, FakeChatRequest, FakeReply } from './types.js';

/** /api/chat answers with `message`, /api/generate with `response` (and a `context`). */
export type GenerationShape = 'chat' | 'generate';

export interface Generation {
  request: FakeChatRequest;
  stream: boolean;
  shape: GenerationShape;
  /** A fault that strikes mid-answer (invalid-json, drop-after-tokens), already taken from the queue. */
  fault: Fault | undefined;
  /** performance.now() when the request arrived, for total_duration. */
  arrivedAt: number;
}

const invalidJson = 'Sure! Here are the minutes you asked for: {"summary": "We agreed to ship on Friday", "decisions": [';

const ns = (ms: number) => Math.round(ms * 1e6);

/** Resolves once the line is handed to the socket, so a fault that drops the connection next loses nothing already "sent". */
function written(res: ServerResponse, line: string): Promise<void> {
  return new Promise((resolve, reject) => res.write(line, (error) => (error ? reject(error) : resolve())));
}

async function answer(state: FakeState, generation: Generation): Promise<FakeReply> {
  if (generation.fault?.mode === 'invalid-json') return { content: invalidJson };
  try {
    const reply = await state.responder(generation.request);
    if (typeof reply === 'string') return { content: reply };
    // Only /api/chat carries tool calls; a responder scripting them for /api/generate answers its text alone.
    return generation.shape === 'chat' ? reply : { content: reply.content ?? '' };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    throw new OllamaHttpError(typeof status === 'number' ? status : 500, (error as Error).message);
  }
}

/** Honours options.num_predict as Ollama does: the answer stops there with done_reason "length". */
function limitTokens(tokens: string[], options: Record<string, unknown> | undefined): { tokens: string[]; doneReason: string } {
  const limit = options?.num_predict;
  if (typeof limit === 'number' && limit >= 0 && tokens.length > limit) return { tokens: tokens.slice(0, limit), doneReason: 'length' };
  return { tokens, doneReason: 'stop' };
}

/**
 * Runs one generation inside a slot: the responder's text split into tokens,
 * the first after ttft (growing with the prompt), the rest `tokenMs` apart,
 * then Ollama's final counts and durations. Streams NDJSON or answers once.
 */
export async function generate(state: FakeState, res: ServerResponse, signal: AbortSignal, generation: Generation): Promise<void> {
  const { request, shape, fault } = generation;
  const slotAt = performance.now();
  const reply = await answer(state, generation);
  const { tokens, doneReason } = limitTokens(tokenize(reply.content ?? ''), request.options);
  const toolCalls = reply.tool_calls && reply.tool_calls.length > 0 ? reply.tool_calls : undefined;
  const promptTokens = promptTokenCount(request.messages);
  const latency = state.latency.current;
  await state.latency.wait(latency.ttftMs + promptTokens * latency.promptTokenMs, signal);
  const firstTokenAt = performance.now();

  const chunk = (content: string, done: boolean, calls?: unknown[]) => ({
    model: request.model,
    created_at: new Date().toISOString(),
    ...(shape === 'chat' ? { message: { role: 'assistant', content, ...(calls ? { tool_calls: calls } : {}) } } : { response: content }),
    done,
  });
  const final = (content: string) => {
    const end = performance.now();
    return {
      ...chunk(content, true),
      done_reason: doneReason,
      ...(shape === 'generate' ? { context: tokens.map((_, i) => 1000 + i) } : {}),
      total_duration: ns(end - generation.arrivedAt),
      // Real Ollama counts waiting for the scheduler to hand over a runner as load time; here that is the queue.
      load_duration: ns(slotAt - generation.arrivedAt),
      prompt_eval_count: promptTokens,
      prompt_eval_duration: ns(firstTokenAt - slotAt),
      eval_count: tokens.length,
      eval_duration: ns(end - firstTokenAt),
    };
  };

  const dropping = fault?.mode === 'drop-after-tokens';
  const stalling = fault?.mode === 'stall-after-tokens';
  const sent = dropping || stalling ? tokens.slice(0, fault.tokens) : tokens;
  if (stalling && !generation.stream) return untilGone(signal);
  if (!generation.stream) {
    for (let i = 1; i < sent.length; i++) await state.latency.wait(state.latency.current.tokenMs, signal);
    if (dropping) return void res.socket?.destroy();
    return sendJson(res, 200, { ...final(tokens.join('')), ...(toolCalls ? { message: { role: 'assistant', content: tokens.join(''), tool_calls: toolCalls } } : {}) });
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const [index, token] of sent.entries()) {
    if (index > 0) await state.latency.wait(state.latency.current.tokenMs, signal);
    await written(res, `${JSON.stringify(chunk(token, false))}\n`);
  }
  // A dropped connection never sends the done chunk, even when the answer was shorter than the fault's count.
  if (dropping) return void res.socket?.destroy();
  // A stuck runner: the socket stays open and silent, the slot stays taken, until the client gives up.
  if (stalling) return untilGone(signal);
  // As Ollama streams them: once parsed, the calls come whole in one chunk of their own, before the final one.
  if (toolCalls) await written(res, `${JSON.stringify(chunk('', false, toolCalls))}\n`);
  res.end(`${JSON.stringify(final(''))}\n`);
}

function untilGone(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
