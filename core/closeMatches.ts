/** Names closest to `wanted`, for "did you mean" lines: substring hits first, then by edit distance. */
export function closeMatches(wanted: string, candidates: readonly string[], limit = 3): string[] {
  const needle = wanted.toLowerCase();
  return candidates
    .map((candidate) => {
      const hay = candidate.toLowerCase();
      const contains = hay.includes(needle) || needle.includes(hay) ? 0 : 1;
      return { candidate, contains, distance: editDistance(needle, hay) };
    })
    .filter((c) => c.contains === 0 || c.distance <= Math.max(2, Math.floor(needle.length / 3)))
    .sort((a, b) => a.contains - b.contains || a.distance - b.distance)
    .slice(0, limit)
    .map((c) => c.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
