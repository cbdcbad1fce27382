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
export const pickReasonChars = 40;
/**
 * The most a pick may generate (Ollama's num_predict): the longest answer the
 * schema allows is about 60 tokens; a model that rambles past it is cut off
 * and its pick replaced by the rule (invalid_json), not paid for in full.
 */
export const pickMaxTokens = 96;

export interface Agreement {
  agree: boolean;
  on: string;
}

export interface FacilitatorPick {
  next: string;
  reason: string;
  /** What the facilitator read in the turns so far: whether they agree, and on what (kept on a fallback whose JSON said it). */
  agreement?: Agreement;
  source: 'model' | 'fallback';
  fallback?: FallbackReason;
}

/**
 * Schemas already built, by choices and askAgreement: a meeting offers the
 * same few sets again and again, and building one through zod cost more CPU
 * than the rest of a pick (bench/meetingQuality.ts). Bounded: cleared when full.
 */
const builtSchemas = new Map<string, Record<string, unknown>>();
const builtSchemasMax = 256;

/** The pick's answer schema; `agreement` and `agreed_on` only while the topic's dissent may still be asked for (no tokens spent on them after). */
export function facilitatorJsonSchema(choices: readonly string[], askAgreement = true): Record<string, unknown> {
  const key = `${askAgreement}\u0000${choices.join('\u0000')}`;
  const built = builtSchemas.get(key) ?? buildSchema(choices, askAgreement);
  if (builtSchemas.size >= builtSchemasMax) builtSchemas.clear();
  builtSchemas.set(key, built);
  // A copy: the model adapter may hand it on, and nobody may change the one kept here.
  return structuredClone(built);
}

function buildSchema(choices: readonly string[], askAgreement: boolean): Record<string, unknown> {
  const pick = z.object({ next: z.enum(choices as [string, ...string[]]), reason: z.string().max(pickReasonChars) });
  const capped = askAgreement ? pick.extend({ agreement: z.boolean(), agreed_on: z.string().max(pickReasonChars) }) : pick;
  const { $schema: _drop, ...schema } = z.toJSONSchema(capped) as Record<string, unknown>;
  return schema;
}

const pickSchema = (choices: readonly string[]) => z.object({ next: z.enum(choices as [string, ...string[]]), reason: z.string() });

/**
 * The facilitator's answer checked against what it was offered: the choice
 * and its reason, or why it is unusable (not JSON, a name outside the choices,
 * the last speaker again).
 */
export function parsePick(
  content: string,
  choices: readonly string[],
  lastSpeaker: string | null,
): { next: string; reason: string; agreement?: Agreement } | { fallback: FallbackReason; agreement?: Agreement } {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return { fallback: 'invalid_json' };
  }
  const said = (typeof raw === 'object' && raw !== null ? raw : {}) as { next?: unknown; agreement?: unknown; agreed_on?: unknown };
  // A small model that names the last speaker again may still have read the turns right: its judgement of agreement is kept.
  const agreement = typeof said.agreement === 'boolean' ? { agreement: { agree: said.agreement, on: typeof said.agreed_on === 'string' ? said.agreed_on.trim().slice(0, pickReasonChars) : '' } } : {};
  const repeated = typeof said.next === 'string' && said.next === lastSpeaker;
  const parsed = pickSchema(choices).safeParse(raw);
  if (!parsed.success) return { fallback: repeated ? 'repeat_speaker' : 'invalid_choice', ...agreement };
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
    /** Ask whether the turns agree (false once the topic heard its dissent). */
    askAgreement?: boolean;
    signal: AbortSignal;
  },
): Promise<FacilitatorPick> {
  const askAgreement = input.askAgreement ?? true;
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
        `You are ${input.facilitator.name}, facilitating. ${input.context}`,
        `Who speaks next? JSON only: {"next": <choice>, "reason": <at most 6 words>${askAgreement ? ', "agreement": <do the turns so far agree?>, "agreed_on": <on what, or "">' : ''}}.`,
        'A participant id gives them the floor (one asked something first), "humans" asks the people, "close" ends a topic that concluded or goes in circles.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: `Latest turns:\n\n${input.transcript || 'Nothing yet.'}\n\nTurns each: ${input.heard.map((h) => `${h.label} ${h.turns}`).join(', ')}. Last: ${input.lastSpeaker ?? 'nobody'}. Choices: ${input.choices.join(', ')}.`,
    },
  ];
  let content: string;
  try {
    content = await model.pick(
      { messages, format: facilitatorJsonSchema(input.choices, askAgreement), maxTokens: pickMaxTokens, choices: input.choices, lastSpeaker: input.lastSpeaker, heard: new Map(input.heard.map((h) => [h.id, h.turns])) },
      input.signal,
    );
  } catch (error) {
    if (input.signal.aborted) throw error;
    return fallback('call_failed');
  }
  const parsed = parsePick(content, input.choices, input.lastSpeaker);
  if (!('fallback' in parsed)) return { ...parsed, source: 'model' };
  return parsed.agreement ? { ...fallback(parsed.fallback), agreement: parsed.agreement } : fallback(parsed.fallback);
}
