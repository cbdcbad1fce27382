/** One autocomplete choice as Discord takes it. */
export interface Choice {
  name: string;
  value: string;
}

/** Discord shows at most 25 choices, and a choice's name and value hold at most 100 characters. */
const maxChoices = 25;
const maxLength = 100;

/**
 * The autocomplete choices for what was typed: the known values containing it
 * (any case), those starting with it first. For a list (comma, else space
 * separated, as the settings read it) the last item is completed: the items
 * before it are kept as typed and values already listed are not offered again.
 * A choice longer than Discord takes is left out rather than cut, since a cut
 * value would be a wrong one.
 */
export function valueChoices(typed: string, values: readonly string[], list = false): Choice[] {
  const comma = list && typed.includes(',');
  const cut = !list ? 0 : comma ? typed.lastIndexOf(',') + 1 : typed.search(/\S*$/);
  const head = comma ? `${typed.slice(0, cut).trimEnd()} ` : typed.slice(0, cut);
  const last = typed.slice(cut).trim().toLowerCase();
  const listed = new Set(
    typed
      .slice(0, cut)
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((item) => item.toLowerCase()),
  );
  const fits = values.filter((value) => !listed.has(value.toLowerCase()) && value.toLowerCase().includes(last));
  const ranked = [...fits.filter((value) => value.toLowerCase().startsWith(last)), ...fits.filter((value) => !value.toLowerCase().startsWith(last))];
  return ranked
    .map((value) => `${head}${value}`)
    .filter((value) => value.length <= maxLength)
    .slice(0, maxChoices)
    .map((value) => ({ name: value, value }));
}
