import { isCouncilError } from '../../errors.js';
import type { LlmClient } from '../../llm/llmClient.js';
import { chatWithTools, type ToolingChunk } from '../../tools/chatWithTools.js';
import type { ToolsService, ToolUse } from '../../tools/toolsService.js';
import type { MeetingModel } from '../engine/ports.js';

export interface MeetingModels {
  /** A smaller model for the facilitator's picks: choosing a speaker from a short transcript needs far less than a persona's turn. */
  facilitator?: string | undefined;
  /** The model an attendee speaks with (core/meetings/meetingModels.ts speakerModel); undefined: MODEL_NAME. */
  speaker: (agentId: string) => string | undefined;
  /** Told once per model that is missing on Ollama, when its calls go to MODEL_NAME instead. */
  onMissing?: (model: string, use: string) => void;
}

const missingModel = (error: unknown) => isCouncilError(error) && error.code === 'model_not_found';

/**
 * The engine's model on the LLM client: every call of one meeting queues in
 * its own lane of the backend's fair limiter, whatever model it asks for, so
 * a council of several models shares the backend's slots like one. A model
 * chosen for a speaker (or the facilitator) that Ollama does not have is
 * replaced by MODEL_NAME rather than stopping the meeting: readiness names
 * it, and the turn stores the model that actually answered.
 */
export function llmMeetingModel(
  llm: LlmClient,
  lane: string,
  models: MeetingModels = { speaker: () => undefined },
  tools?: { service: ToolsService; use: Omit<ToolUse, 'agentId'> },
): MeetingModel {
  const told = new Set<string>();
  const fallBack = (model: string, use: string) => {
    if (told.has(model)) return;
    told.add(model);
    models.onMissing?.(model, use);
  };
  async function once<T>(model: string | undefined, use: string, call: (model: string | undefined) => Promise<T>): Promise<T> {
    try {
      return await call(model);
    } catch (error) {
      if (!model || model === llm.model || !missingModel(error)) throw error;
      fallBack(model, use);
      return call(undefined);
    }
  }
  async function* streamed(model: string | undefined, use: string, call: (model: string | undefined) => AsyncIterable<ToolingChunk>): AsyncGenerator<ToolingChunk> {
    let started = false;
    try {
      for await (const chunk of call(model)) {
        started = true;
        yield chunk;
      }
      return;
    } catch (error) {
      if (started || !model || model === llm.model || !missingModel(error)) throw error;
      fallBack(model, use);
    }
    yield* call(undefined);
  }
  const named = (model: string | undefined) => (model ? { model } : {});
  return {
    get name() {
      return llm.model;
    },
    pick: async (request, signal) => once(models.facilitator, 'facilitator', async (model) => (await llm.chat({ messages: request.messages, format: request.format, maxTokens: request.maxTokens, lane, temperature: 0.2, kind: 'facilitator', signal, ...named(model) })).content),
    // Independent positions are asked at once: each in its own lane, so the fair limiter serves them side by side.
    // A turn calls tools through the same loop as a chat: what the meeting's place (or key) allows, as that colleague.
    speak: (request, signal) =>
      streamed(models.speaker(request.agentId), request.agentId, (model) =>
        chatWithTools(
          llm,
          tools?.service,
          { messages: request.messages, lane: request.kind === 'position' ? `${lane}:${request.agentId}` : lane, temperature: request.temperature, kind: 'meeting', signal, ...named(model) },
          tools ? { ...tools.use, agentId: request.agentId } : null,
        ),
      ),
    minutes: async (request, signal) => (await llm.chat({ messages: request.messages, format: request.format, lane, temperature: 0.2, kind: 'minutes', signal })).content,
  };
}
