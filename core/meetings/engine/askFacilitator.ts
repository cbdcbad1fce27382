import { z } from 'zod';
import type { LlmMessage } from '../../llm/types.js';
import type { Role } from '../../roles/roleSchema.js';
import type { MeetingModel } from './ports.js';

export const fallbackReasons = ['invalid_json', 'invalid_choice', 'repeat_speaker', 'call_failed'] as const;
export type FallbackReason = (typeof fallbackReasons)[number];
/**
 * Who decided the next speaker: the facilitator model, the rule after a
 * fallback, a person addressing a colleague by name, or the rule where it
 * already decides (ruleDecides: no call made).
 */
export const pickSources = ['model', 'fallback', 'addressed', 'rule'] as const;
/** The pick's reason is capped in the schema sent (structured output stops there), so a pick costs few output tokens. */
export const pickReasonChars = 120;

export interface FacilitatorPick {
  next: string;
  reason: string;
  /** What the facilitator read in the turns so far: whether they agree, and on what. */
  agreement?: { agree: boolean; on: string };
  source: 'model' | 'fallback';
  fallback?: FallbackReason;
}

export function facilitatorJsonSchema(choices: readonly string[]): Record<string, unknown> {
  const capped = z.object({ next: z.enum(choices as [string, ...string[]]), reason: z.string().max(pickReasonChars), agreement: z.boolean(), agreed_on: z.string().max(pickReasonChars) });
  const { $schema: _drop, ...schema } = z.toJSONSchema(capped) as Record<string, unknown>;
  return schema;
}

const pickSchema = (choices: readonly string[]) => z.object({ next: z.enum(choices as [string, ...string[]]), reason: z.string() });

/**
 * The facilitator's answer checked against what it was offered: the choice
 * and its reason, or why it is unusable (not JSON, a name outside the choices,
 * the last speaker again).
 */
export function parsePick(content: string, choices: readonly string[], lastSpeaker: string | null): { next: string; reason: string; agreement?: { agree: boolean; on: string } } | { fallback: FallbackReason } {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return { fallback: 'invalid_json' };
  }
  const next = typeof raw === 'object' && raw !== null ? (raw as { next?: unknown }).next : undefined;
  const repeated = typeof next === 'string' && next === lastSpeaker;
  const parsed = pickSchema(choices).safeParse(raw);
  if (!parsed.success) return { fallback: repeated ? 'repeat_speaker' : 'invalid_choice' };
  const said = raw as { agreement?: unknown; agreed_on?: unknown };
  const agreement = typeof said.agreement === 'boolean' ? { agreement: { agree: said.agreement, on: typeof said.agreed_on === 'string' ? said.agreed_on.trim().slice(0, pickReasonChars) : '' } } : {};
  return { next: parsed.data.next, reason: parsed.data.reason.trim().slice(0, pickReasonChars) || 'no reason given', ...agreement };
}

/**
 * Asks the facilitator who speaks next through structured output. Anything
 * unusable (see parsePick, or a failed call) is replaced at once by
 * `fallback`, with the reason on the pick. A cancelled meeting is not a failed
 * call: the abort propagates.
 */
export async function askFacilitator(
  model: MeetingModel,
  input: {
    facilitator: Role;
    context: string;
    transcript: string;
    heard: Array<{ id: string; label: string; turns: number }>;
    choices: readonly string[];
    lastSpeaker: string | null;
    fallback: string;
    signal: AbortSignal;
  },
): Promise<FacilitatorPick> {
  const fallback = (reason: FallbackReason): FacilitatorPick => ({
    next: input.fallback,
    reason: `fallback (${reason.replace('_', ' ')}): the participant heard least on this topic`,
    source: 'fallback',
    fallback: reason,
  });
  const messages: LlmMessage[] = [
    {
      role: 'system',
      content: [
        `You are ${input.facilitator.name}, facilitating this meeting. ${input.context}`,
        'Decide what happens next on the current topic. Answer with JSON only: {"next": <choice>, "reason": <at most 15 words>, "agreement": <true when the turns so far agree>, "agreed_on": <what they agree on, or "">}.',
        'A participant id gives them the floor (prefer one who was asked something or whose view is missing), "humans" asks the people a question, "close" ends a topic that has concluded or goes in circles.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: `Latest turns:\n\n${input.transcript || 'Nothing has been said yet.'}\n\nTurns on this topic so far: ${input.heard.map((h) => `${h.label}: ${h.turns}`).join('; ')}.\nLast speaker: ${input.lastSpeaker ?? 'nobody'}.\nValid choices for "next": ${input.choices.join(', ')}.`,
    },
  ];
  let content: string;
  try {
    content = await model.pick(
      { messages, format: facilitatorJsonSchema(input.choices), choices: input.choices, lastSpeaker: input.lastSpeaker, heard: new Map(input.heard.map((h) => [h.id, h.turns])) },
      input.signal,
    );
  } catch (error) {
    if (input.signal.aborted) throw error;
    return fallback('call_failed');
  }
  const parsed = parsePick(content, input.choices, input.lastSpeaker);
  return 'fallback' in parsed ? fallback(parsed.fallback) : { ...parsed, source: 'model' };
}
