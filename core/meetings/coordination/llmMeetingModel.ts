import type { LlmClient } from '../../llm/llmClient.js';
import type { MeetingModel } from '../engine/ports.js';

/**
 * The engine's model on the LLM client: every call of one meeting queues in
 * its own lane. Picks may go to a smaller facilitator model: choosing a
 * speaker from a short transcript needs far less than a persona's turn.
 */
export function llmMeetingModel(llm: LlmClient, lane: string, facilitatorModel?: string): MeetingModel {
  return {
    get name() {
      return llm.model;
    },
    pick: async (request, signal) => (await llm.chat({ messages: request.messages, format: request.format, lane, temperature: 0.2, kind: 'facilitator', signal, ...(facilitatorModel ? { model: facilitatorModel } : {}) })).content,
    // Independent positions are asked at once: each in its own lane, so the fair limiter serves them side by side.
    speak: (request, signal) => llm.streamChat({ messages: request.messages, lane: request.kind === 'position' ? `${lane}:${request.agentId}` : lane, temperature: request.temperature, kind: 'meeting', signal }),
    minutes: async (request, signal) => (await llm.chat({ messages: request.messages, format: request.format, lane, temperature: 0.2, kind: 'minutes', signal })).content,
  };
}
