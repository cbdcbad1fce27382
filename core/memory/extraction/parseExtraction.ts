import { extractionOutput, type ExtractedMemory } from './extractionSchema.js';

export type ParsedExtraction = { outcome: 'extracted'; memories: ExtractedMemory[] } | { outcome: 'empty' } | { outcome: 'invalid'; problem: string };

/**
 * Reads what a model returned for extraction. Small local models wrap JSON in
 * prose or code fences, return a bare array, or stop mid-object: the first
 * JSON value is taken out of the text; what still fails the schema is
 * `invalid`, and an empty list or blank output is `empty` (both fall back to
 * the rules). Related ids not among `knownIds` are dropped, not trusted.
 */
export function parseExtraction(raw: string, knownIds: ReadonlySet<string>): ParsedExtraction {
  const text = raw.trim();
  if (text === '') return { outcome: 'empty' };
  const json = firstJson(text);
  if (json === undefined) return { outcome: 'invalid', problem: 'no JSON in the output' };
  const parsed = extractionOutput.safeParse(Array.isArray(json) ? { memories: json } : json);
  if (!parsed.success) return { outcome: 'invalid', problem: parsed.error.issues[0]?.message ?? 'does not match the schema' };
  if (parsed.data.memories.length === 0) return { outcome: 'empty' };
  const memories = parsed.data.memories.map((memory) =>
    memory.relation !== 'new' && (!memory.relatedId || !knownIds.has(memory.relatedId)) ? { ...memory, relation: 'new' as const, relatedId: null } : memory,
  );
  return { outcome: 'extracted', memories };
}

function firstJson(text: string): unknown {
  const unfenced = text.replace(/^```(?:json)?\s*/i, '').replace(/```\s*$/, '');
  try {
    return JSON.parse(unfenced);
  } catch {
    const start = unfenced.search(/[[{]/);
    if (start < 0) return undefined;
    for (let end = unfenced.length; end > start; end--) {
      const closer = unfenced[end - 1];
      if (closer !== '}' && closer !== ']') continue;
      try {
        return JSON.parse(unfenced.slice(start, end));
      } catch {
        // keep shrinking: prose may follow the JSON
      }
    }
    return undefined;
  }
}
