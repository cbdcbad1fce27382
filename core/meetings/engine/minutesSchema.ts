import { z } from 'zod';

/**
 * Minutes as the model must return them (Ollama structured output): owners
 * limited to the attendees (persona ids, and the speaker ids of people who
 * spoke), every decision and action item citing the turn numbers it comes from.
 */
export function minutesSchema(participants: readonly string[], sections: readonly string[] = []) {
  const owner = z.enum(participants as [string, ...string[]]);
  const sourceTurns = z.array(z.number().int());
  return z.object({
    summary: z.string().min(1),
    /** `supporters`: attendee ids who argued for it. */
    decisions: z.array(z.object({ decision: z.string().min(1), rationale: z.string(), source_turns: sourceTurns, supporters: z.array(z.string()).optional() })),
    action_items: z.array(z.object({ owner, task: z.string().min(1), due: z.string().optional(), source_turns: sourceTurns })),
    open_questions: z.array(z.string()),
    /** Who disagreed, on what, citing the turns: kept, not averaged away. */
    dissent: z.array(z.object({ who: z.string(), on: z.string().min(1), source_turns: sourceTurns })).optional(),
    risks: z.array(z.object({ risk: z.string().min(1), mitigation: z.string().optional() })),
    sections: z.object(Object.fromEntries(sections.map((name) => [name, z.string()]))),
  });
}

export type Minutes = z.infer<ReturnType<typeof minutesSchema>>;

/** The JSON schema sent as Ollama's `format`. */
export function minutesJsonSchema(participants: readonly string[], sections: readonly string[] = []): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(minutesSchema(participants, sections)) as Record<string, unknown>;
  return schema;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value.trim() : value == null ? '' : JSON.stringify(value));
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value == null ? [] : [value]);
/** Turn numbers written as 12, "12", "#12" or "turn 12"; anything else is dropped (citeEvidence checks they exist). */
const asTurns = (value: unknown): number[] =>
  asArray(value)
    .map((v) => (typeof v === 'number' ? v : Number(/\d+/.exec(String(v))?.[0] ?? NaN)))
    .filter((n) => Number.isInteger(n));

/**
 * Salvages almost-right output: owners given as names or with spaces, missing
 * lists, strings where objects were expected. Null when there is no summary.
 */
export function repairMinutes(raw: unknown, participants: readonly string[], sections: readonly string[] = [], names: Readonly<Record<string, string>> = {}): Minutes | null {
  if (!raw || typeof raw !== 'object') return null;
  const input = raw as Record<string, unknown>;
  const summary = asText(input.summary);
  if (!summary) return null;
  const ownerOf = (value: unknown): string | null => {
    const wanted = asText(value).toLowerCase().replace(/[\s-]+/g, '_');
    return participants.find((p) => p === wanted || wanted.includes(p) || (names[p] && names[p].toLowerCase().replace(/[\s-]+/g, '_') === wanted)) ?? null;
  };
  const openQuestions = asArray(input.open_questions).map(asText).filter(Boolean);
  const actionItems: Minutes['action_items'] = [];
  for (const item of asArray(input.action_items)) {
    const record = (typeof item === 'object' && item ? item : { task: item }) as Record<string, unknown>;
    const task = asText(record.task ?? record.action ?? record.description);
    if (!task) continue;
    const owner = ownerOf(record.owner ?? record.assignee);
    const sourceTurns = asTurns(record.source_turns ?? record.turns ?? record.sources);
    if (owner) actionItems.push({ owner, task, ...(record.due ? { due: asText(record.due) } : {}), source_turns: sourceTurns });
    else openQuestions.push(`Unassigned: ${task}`);
  }
  const decisions = asArray(input.decisions)
    .map((item) => {
      const record = (typeof item === 'object' && item ? item : { decision: item }) as Record<string, unknown>;
      return { decision: asText(record.decision ?? record.text), rationale: asText(record.rationale), source_turns: asTurns(record.source_turns ?? record.turns ?? record.sources) };
    })
    .filter((d) => d.decision);
  const risks = asArray(input.risks)
    .map((item) => {
      const record = (typeof item === 'object' && item ? item : { risk: item }) as Record<string, unknown>;
      const mitigation = asText(record.mitigation);
      return { risk: asText(record.risk), ...(mitigation ? { mitigation } : {}) };
    })
    .filter((r) => r.risk);
  const rawSections = (typeof input.sections === 'object' && input.sections ? input.sections : {}) as Record<string, unknown>;
  const repaired = {
    summary,
    decisions,
    action_items: actionItems,
    open_questions: openQuestions,
    risks,
    sections: Object.fromEntries(sections.map((name) => [name, asText(rawSections[name] ?? input[name])])),
  };
  const parsed = minutesSchema(participants, sections).safeParse(repaired);
  return parsed.success ? parsed.data : null;
}
