import { createHash } from 'node:crypto';

/** Object keys in a fixed order, so the same definition always hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  return value;
}

/**
 * What a tool's definition is pinned by when it is allowed: its name,
 * description and input schema. A server that changes any of them after the
 * fact (a rug pull, CVE-2025-54136) no longer matches the pin.
 */
export function toolDefinitionHash(tool: { name: string; description?: string | undefined; inputSchema?: unknown }): string {
  return createHash('sha256').update(JSON.stringify(canonical({ name: tool.name, description: tool.description ?? '', inputSchema: tool.inputSchema ?? {} }))).digest('hex');
}
