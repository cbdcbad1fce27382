/** What ranking needs of a recall candidate. */
export interface RankCandidate {
  /** Relevance: cosine similarity or full-text rank, larger is closer. */
  score: number;
  importance: number;
  /** When it was last said (a repeat refreshes it). */
  lastSeenAt: Date;
}

const dayMs = 86_400_000;

/**
 * Orders recall candidates by relevance x recency x importance and keeps
 * `limit`. Recency halves every `halfLifeDays` since a memory was last said;
 * recency and importance scale relevance between 60% and all of it, so a
 * close match that is old or minor still beats an unrelated fresh one, and
 * the relevance floor (applied before) stays the only way in.
 */
export function rankMemories<T extends RankCandidate>(candidates: T[], options: { limit: number; halfLifeDays: number; now?: Date }): T[] {
  const now = (options.now ?? new Date()).getTime();
  const weight = (candidate: T) => {
    const ageDays = Math.max(0, (now - candidate.lastSeenAt.getTime()) / dayMs);
    const recency = 0.5 ** (ageDays / options.halfLifeDays);
    const importance = Math.min(1, Math.max(0, candidate.importance));
    return candidate.score * (0.6 + 0.4 * recency) * (0.6 + 0.4 * importance);
  };
  return candidates
    .map((candidate) => ({ candidate, weight: weight(candidate) }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, options.limit)
    .map((entry) => entry.candidate);
}
