import type { Council } from '../../../core/council.js';

type Choice = { name: string; value: string };

/** Discord shows at most 25 choices of at most 100 characters each. */
const maxChoices = 25;
const maxLength = 100;

/** The agents matching what the person has typed (id, name or title), for autocomplete. */
export function agentChoices(council: Pick<Council, 'listAgents'>, typed: string, limit = maxChoices): Choice[] {
  const needle = typed.trim().toLowerCase();
  return council
    .listAgents()
    .filter((a) => !needle || a.id.includes(needle) || a.name.toLowerCase().includes(needle) || a.title.toLowerCase().includes(needle))
    .slice(0, limit)
    .map((a) => ({ name: `${a.name} · ${a.title}`.slice(0, maxLength), value: a.id }));
}

/**
 * A comma-separated list of colleagues (/consult agents, /meeting
 * participants): the last item is completed, the ones before are kept and
 * none is offered twice. A list too long for one choice is left out rather
 * than cut, since a cut value would name a colleague wrongly.
 */
export function agentListChoices(council: Pick<Council, 'listAgents'>, typed: string): Choice[] {
  const items = typed.split(',');
  const done = items
    .slice(0, -1)
    .map((item) => item.trim())
    .filter(Boolean);
  const prefix = done.length > 0 ? `${done.join(',')},` : '';
  return agentChoices(council, items.at(-1) ?? '', Infinity)
    .filter((choice) => !done.includes(choice.value))
    .map((choice) => `${prefix}${choice.value}`)
    .filter((value) => value.length <= maxLength)
    .slice(0, maxChoices)
    .map((value) => ({ name: value, value }));
}
