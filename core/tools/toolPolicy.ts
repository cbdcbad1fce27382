import { CouncilError } from '../errors.js';
import type { ToolApprovalMode } from '../settings/settingsSchema.js';
import type { ToolInfo } from './mcpTools.js';

/** What may run for one answer, and who approves: decided in core from the caller, never from what a model or tool says. */
export interface ToolGrant {
  /** `name@sha256` as pinned when allowed; a bare name is allowed as it is now (the terminal user's --tools, for that run). */
  entries: readonly string[];
  approval: ToolApprovalMode;
  approvalMs: number;
  /** Where the grant comes from, for the lines people read. */
  source: 'cli' | 'key' | 'place';
}

export const noTools: ToolGrant = { entries: [], approval: 'never', approvalMs: 0, source: 'place' };

export function parseToolEntry(entry: string): { name: string; hash: string | null } {
  const at = entry.lastIndexOf('@');
  return at > 0 && /^[0-9a-f]{64}$/i.test(entry.slice(at + 1)) ? { name: entry.slice(0, at), hash: entry.slice(at + 1).toLowerCase() } : { name: entry, hash: null };
}

/**
 * The tools offered for one answer: those the grant names whose definition
 * still matches its pin. A tool whose server changed its name, description
 * or schema since it was allowed (a rug pull) is not offered, and a line
 * says so until someone allows it again; so is one no server offers now.
 */
export function offeredTools(grant: ToolGrant, catalogue: readonly ToolInfo[]): { offered: ToolInfo[]; notices: string[] } {
  const byName = new Map(catalogue.map((tool) => [tool.name, tool]));
  const offered: ToolInfo[] = [];
  const notices: string[] = [];
  for (const entry of new Set(grant.entries)) {
    const { name, hash } = parseToolEntry(entry);
    const tool = byName.get(name);
    if (!tool) notices.push(`${name} is allowed here but no tool server offers it now.`);
    else if (hash !== null && hash !== tool.hash) notices.push(`${name} changed its definition since it was allowed here, so it is disabled until someone allows it again.`);
    else if (!offered.includes(tool)) offered.push(tool);
  }
  return { offered, notices };
}

/** Names as typed, pinned to the definitions offered now; an unknown name is refused in one line. */
export function pinTools(names: readonly string[], catalogue: readonly ToolInfo[]): string[] {
  const byName = new Map(catalogue.map((tool) => [tool.name, tool]));
  const unknown = names.map((entry) => parseToolEntry(entry).name).filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new CouncilError('bad_usage', `no tool ${unknown.map((name) => `"${name.slice(0, 100)}"`).join(', ')} is offered now; \`council tools\` (or /council tools) lists them, and council.search_meetings, council.search_decisions, council.search_memories are built in`);
  }
  return [...new Set(names.map((entry) => parseToolEntry(entry).name))].map((name) => `${name}@${byName.get(name)!.hash}`);
}
