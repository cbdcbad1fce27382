import type { LlmClient } from '../core/llm/llmClient.js';
import { llmMeetingModel } from '../core/meetings/coordination/llmMeetingModel.js';
import type { MeetingModel } from '../core/meetings/engine/ports.js';

/**
 * The engine's model on a real Ollama (the same adapter a meeting runs on),
 * timed for the bench: a turn counts Ollama's own duration (not the time its
 * call waited for a slot, which the parallel positions do), a pick its whole call.
 */
export function ollamaMeetingModel(llm: LlmClient, lane: string, speaker: (agentId: string) => string | undefined) {
  const time = { persona: 0, facilitator: 0 };
  let picks = 0;
  const inner = llmMeetingModel(llm, lane, { speaker });
  const model: MeetingModel = {
    name: inner.name,
    async pick(request, signal) {
      picks++;
      const started = performance.now();
      try {
        return await inner.pick(request, signal);
      } finally {
        time.facilitator += performance.now() - started;
      }
    },
    async *speak(request, signal) {
      for await (const chunk of inner.speak(request, signal)) {
        if ('done' in chunk) time.persona += chunk.done.durationMs;
        yield chunk;
      }
    },
    minutes: (request, signal) => inner.minutes(request, signal),
  };
  return { model, time, picks: () => picks };
}
