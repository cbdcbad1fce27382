import type { Council } from '../../../core/council.js';

/** Up to 25 agents matching what the person has typed, for autocomplete. */
export function agentChoices(council: Council, typed: string): Array<{ name: string; value: string }> {
  const needle = typed.trim().toLowerCase();
  return council
    .listAgents()
    .filter((a) => !needle || a.id.includes(needle) || a.name.toLowerCase().includes(needle) || a.title.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((a) => ({ name: `${a.name} · ${a.title}`.slice(0, 100), value: a.id }));
}
