import { strikeBeforeAnswer } from './faults.js';
import { generate, type GenerationShape } from './generation.js';
import { sendJson } from './http.js';
import type { RouteContext } from './route.js';
import type { FakeChatRequest } from './types.js';

/**
 * What /api/chat and /api/generate share once the body is valid: faults that
 * strike first, then a queued slot (OLLAMA_NUM_PARALLEL), then the answer.
 * An empty prompt only loads the model, as with real Ollama.
 */
export async function serveGeneration(context: RouteContext, request: FakeChatRequest, stream: boolean, shape: GenerationShape): Promise<void> {
  const { state, res, signal, arrivedAt } = context;
  if (request.messages.length === 0) {
    const empty = shape === 'chat' ? { message: { role: 'assistant', content: '' } } : { response: '' };
    return sendJson(res, 200, { model: request.model, created_at: new Date().toISOString(), ...empty, done: true, done_reason: 'load' });
  }
  const leave = state.slots.arrive();
  try {
    const fault = state.faults.take({ path: 'chat', structured: Boolean(request.format) });
    if (await strikeBeforeAnswer(fault, res, signal)) return;
    const release = await state.slots.acquire(signal);
    try {
      await generate(state, res, signal, { request, stream, shape, fault, arrivedAt });
    } finally {
      release();
    }
  } finally {
    leave();
  }
}
