import type { MemoryKind } from '../db/schema.js';

export interface MemoryJudgement {
  kind: MemoryKind;
  importance: number;
}

const preference = /\b(i|we) (prefer|like|love|hate|dislike|want|don't want|never|always)\b/i;
const fact = /\b(we use|we run|we have|our (team|stack|service|product|company|database|deadline|customers?)|i am|i'm|my (name|role|team) is|we're|we are)\b/i;
const question = /\?\s*$|^(what|which|who|whom|whose|when|where|why|how|is|are|do|does|did|can|could|should|would|will)\b[^.!]*$/i;
const explicit = /\b(remember|don't forget|note that|keep in mind|for the record)\b/i;

/**
 * Decides whether something a person said is worth keeping as a long-term
 * memory, without a model call: statements about the team, its stack and its
 * preferences are; small talk and short questions are not.
 */
export function judgeMemory(text: string): MemoryJudgement | null {
  const trimmed = text.trim();
  // "What do we use for the session cache?" states nothing: kept, it would be recalled as if it were an answer.
  if (question.test(trimmed) && !explicit.test(trimmed)) return null;
  if (explicit.test(trimmed)) return { kind: 'fact', importance: 0.9 };
  if (preference.test(trimmed)) return { kind: 'preference', importance: 0.7 };
  if (fact.test(trimmed)) return { kind: 'fact', importance: 0.6 };
  if (trimmed.length >= 160) return { kind: 'note', importance: 0.3 };
  return null;
}
