import { z } from 'zod';

/** Minutes as the model must return them (Ollama structured output), owners limited to the attendees. */
export function minutesSchema(participants: readonly string[], sections: readonly string[] = []) {
  const owner = z.enum(participants as [string, ...string[]]);
  return z.object({
    summary: z.string().min(1),
    decisions: z.array(z.object({ decision: z.string().min(1), rationale: z.string() })),
    action_items: z.array(z.object({ owner, task: z.string().min(1), due: z.string().optional() })),
    open_questions: z.array(z.string()),
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

/**
 * Salvages almost-right output: owners given as names or with spaces, missing
 * lists, strings where objects were expected. Null when there is no summary.
 */
export function repairMinutes(raw: unknown, participants: readonly string[], sections: readonly string[] = []): Minutes | null {
  if (!raw || typeof raw !== 'object') return null;
  const input = raw as Record<string, unknown>;
  const summary = asText(input.summary);
  if (!summary) return null;
  const ownerOf = (value: unknown): string | null => {
    const wanted = asText(value).toLowerCase().replace(/[\s-]+/g, '_');
    return participants.find((p) => p === wanted || wanted.includes(p)) ?? null;
  };
  const openQuestions = asArray(input.open_questions).map(asText).filter(Boolean);
  const actionItems: Minutes['action_items'] = [];
  for (const item of asArray(input.action_items)) {
    const record = (typeof item === 'object' && item ? item : { task: item }) as Record<string, unknown>;
    const task = asText(record.task ?? record.action ?? record.description);
    if (!task) continue;
    const owner = ownerOf(record.owner ?? record.assignee);
    if (owner) actionItems.push({ owner, task, ...(record.due ? { due: asText(record.due) } : {}) });
    else openQuestions.push(`Unassigned: ${task}`);
  }
  const decisions = asArray(input.decisions)
    .map((item) => {
      const record = (typeof item === 'object' && item ? item : { decision: item }) as Record<string, unknown>;
      return { decision: asText(record.decision ?? record.text), rationale: asText(record.rationale) };
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
