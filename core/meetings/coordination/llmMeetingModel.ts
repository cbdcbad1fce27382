import type { LlmClient } from '../../llm/llmClient.js';
import { chatWithTools } from '../../tools/chatWithTools.js';
import type { ToolsService, ToolUse } from '../../tools/toolsService.js';
import type { MeetingModel } from '../engine/ports.js';

/**
 * The engine's model on the LLM client: every call of one meeting queues in
 * its own lane. Picks may go to a smaller facilitator model: choosing a
 * speaker from a short transcript needs far less than a persona's turn.
 */
export function llmMeetingModel(llm: LlmClient, lane: string, facilitatorModel?: string, tools?: { service: ToolsService; use: Omit<ToolUse, 'agentId'> }): MeetingModel {
  return {
    get name() {
      return llm.model;
    },
    pick: async (request, signal) => (await llm.chat({ messages: request.messages, format: request.format, lane, temperature: 0.2, kind: 'facilitator', signal, ...(facilitatorModel ? { model: facilitatorModel } : {}) })).content,
    // Independent positions are asked at once: each in its own lane, so the fair limiter serves them side by side.
    // A turn calls tools through the same loop as a chat: what the meeting's place (or key) allows, as that colleague.
    speak: (request, signal) =>
      chatWithTools(
        llm,
        tools?.service,
        { messages: request.messages, lane: request.kind === 'position' ? `${lane}:${request.agentId}` : lane, temperature: request.temperature, kind: 'meeting', signal },
        tools ? { ...tools.use, agentId: request.agentId } : null,
      ),
    minutes: async (request, signal) => (await llm.chat({ messages: request.messages, format: request.format, lane, temperature: 0.2, kind: 'minutes', signal })).content,
  };
}
