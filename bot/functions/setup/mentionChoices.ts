import type { Choice } from './valueChoices.js';

const maxChoices = 25;
const maxLength = 100;

/**
 * Suggestions for a list of roles or members (allowRoles, blockUsers...):
 * the last item typed is matched against their names (any case, those
 * starting with it first) and completed as a mention, the items before kept
 * as typed; one already listed is not offered again. The choice's name shows
 * the name being added, its value the mention the setting reads.
 */
export function mentionChoices(typed: string, known: ReadonlyArray<{ id: string; name: string }>, kind: 'role' | 'user'): Choice[] {
  const cut = typed.search(/[^\s,]*$/);
  const head = typed.slice(0, cut);
  const last = typed.slice(cut).replace(/^@/, '').toLowerCase();
  const listed = new Set(head.split(/[\s,]+/).map((part) => /^<@[!&]?(\d+)>$/.exec(part)?.[1] ?? part));
  const mention = (id: string) => (kind === 'role' ? `<@&${id}>` : `<@${id}>`);
  const fits = known.filter((entry) => !listed.has(entry.id) && (entry.name.toLowerCase().includes(last) || entry.id.startsWith(last)));
  const ranked = [...fits.filter((entry) => entry.name.toLowerCase().startsWith(last)), ...fits.filter((entry) => !entry.name.toLowerCase().startsWith(last))];
  return ranked
    .map((entry) => ({ name: `${head}@${entry.name}`.slice(-maxLength), value: `${head}${mention(entry.id)}` }))
    .filter((choice) => choice.value.length <= maxLength)
    .slice(0, maxChoices);
}
