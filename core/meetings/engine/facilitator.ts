import { z } from 'zod';
import type { LlmClient } from '../../llm/llmClient.js';
import type { LlmMessage } from '../../llm/types.js';
import { exportAtZero, metrics } from '../../metrics.js';
import type { Role } from '../../roles/roleSchema.js';

export const fallbackReasons = ['invalid_json', 'invalid_choice', 'repeat_speaker', 'call_failed'] as const;
export type FallbackReason = (typeof fallbackReasons)[number];
/** Who decided the next speaker: the facilitator model, the rule after a fallback, or a person addressing a colleague by name (conductTopics). */
export const pickSources = ['model', 'fallback', 'addressed'] as const;

// Both exported at 0 from start: FacilitatorFallbackRateHigh divides one by the other.
exportAtZero(metrics.facilitatorFallbacks, { reason: fallbackReasons });
exportAtZero(metrics.facilitatorPicks, { source: pickSources });

export interface FacilitatorPick {
  next: string;
  reason: string;
  source: 'model' | 'fallback';
  fallback?: FallbackReason;
}

export function facilitatorJsonSchema(choices: readonly string[]): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(pickSchema(choices)) as Record<string, unknown>;
  return schema;
}

const pickSchema = (choices: readonly string[]) => z.object({ next: z.enum(choices as [string, ...string[]]), reason: z.string() });

/**
 * Asks the facilitator who speaks next through structured output. Anything
 * unusable (not JSON, a name outside the choices, the last speaker again, a
 * failed call) is replaced at once by `fallback`, and counted by reason. A
 * cancelled meeting is not a failed call: the abort propagates.
 */
export async function askFacilitator(input: {
  llm: LlmClient;
  facilitator: Role;
  context: string;
  transcript: string;
  heard: Array<{ id: string; label: string; turns: number }>;
  choices: readonly string[];
  lastSpeaker: string | null;
  fallback: string;
  lane: string;
  signal?: AbortSignal;
}): Promise<FacilitatorPick> {
  const fallback = (reason: FallbackReason): FacilitatorPick => {
    metrics.facilitatorFallbacks.inc({ reason });
    metrics.facilitatorPicks.inc({ source: 'fallback' });
    return { next: input.fallback, reason: `fallback (${reason.replace('_', ' ')}): the participant heard least on this topic`, source: 'fallback', fallback: reason };
  };
  const messages: LlmMessage[] = [
    {
      role: 'system',
      content: [
        `You are ${input.facilitator.name}, facilitating this meeting. ${input.context}`,
        'Decide what happens next in the discussion of the current topic. Answer with JSON only: {"next": <choice>, "reason": <one short sentence>}.',
        'Choose a participant id to give them the floor (prefer someone whose view is missing or who was asked something), "humans" to ask the people in the meeting a question, or "close" when the topic has reached a conclusion or is going in circles.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: `Transcript so far:\n\n${input.transcript || 'Nothing has been said yet.'}\n\nTurns on this topic so far: ${input.heard.map((h) => `${h.label}: ${h.turns}`).join('; ')}.\nLast speaker: ${input.lastSpeaker ?? 'nobody'}.\nValid choices for "next": ${input.choices.join(', ')}.`,
    },
  ];
  let content: string;
  try {
    ({ content } = await input.llm.chat({ messages, format: facilitatorJsonSchema(input.choices), lane: input.lane, temperature: 0.2, kind: 'facilitator', ...(input.signal ? { signal: input.signal } : {}) }));
  } catch (error) {
    if (input.signal?.aborted) throw error;
    return fallback('call_failed');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return fallback('invalid_json');
  }
  const next = typeof raw === 'object' && raw !== null ? (raw as { next?: unknown }).next : undefined;
  if (typeof next === 'string' && next === input.lastSpeaker && !input.choices.includes(next)) return fallback('repeat_speaker');
  const parsed = pickSchema(input.choices).safeParse(raw);
  if (!parsed.success) return fallback(typeof next === 'string' && next === input.lastSpeaker ? 'repeat_speaker' : 'invalid_choice');
  metrics.facilitatorPicks.inc({ source: 'model' });
  return { next: parsed.data.next, reason: parsed.data.reason.trim().slice(0, 300) || 'no reason given', source: 'model' };
}
