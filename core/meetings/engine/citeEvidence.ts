import type { TurnRow } from '../store/meetingStore.js';
import type { Minutes } from './minutesSchema.js';

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []);

/**
 * Makes every citation true: turn numbers that do not exist in this meeting
 * are dropped, and an item left with none cites the turn that shares the most
 * words with it (the last topic summary when nothing matches), so every
 * decision and action item points at something that was said.
 */
export function citeEvidence(minutes: Minutes, turns: readonly TurnRow[]): Minutes {
  const seqs = new Set(turns.map((t) => t.seq));
  const fallbackSeq = turns.findLast((t) => t.kind === 'topic_summary')?.seq ?? turns.at(-1)?.seq;
  const spoken = turns.filter((t) => t.kind !== 'opening' && t.kind !== 'question').map((t) => ({ seq: t.seq, words: words(t.content) }));
  const fix = (cited: readonly number[], text: string): number[] => {
    const valid = [...new Set(cited.filter((n) => seqs.has(n)))].sort((a, b) => a - b);
    if (valid.length > 0) return valid;
    const wanted = words(text);
    let best: { seq: number; score: number } | null = null;
    for (const turn of spoken) {
      let score = 0;
      for (const word of wanted) if (turn.words.has(word)) score++;
      if (score > 0 && (!best || score > best.score)) best = { seq: turn.seq, score };
    }
    const seq = best?.seq ?? fallbackSeq;
    return seq === undefined ? [] : [seq];
  };
  return {
    ...minutes,
    decisions: minutes.decisions.map((d) => ({ ...d, source_turns: fix(d.source_turns ?? [], `${d.decision} ${d.rationale}`) })),
    action_items: minutes.action_items.map((a) => ({ ...a, source_turns: fix(a.source_turns ?? [], a.task) })),
    ...(minutes.dissent ? { dissent: minutes.dissent.map((d) => ({ ...d, source_turns: fix(d.source_turns ?? [], d.on) })) } : {}),
  };
}
