import type { AgentRegistry } from '../../agents/agentRegistry.js';
import { estimateTokens } from '../../memory/estimateTokens.js';
import type { TurnRow } from '../store/meetingStore.js';

/**
 * The meeting so far as text for the next speaker. When it would exceed the
 * budget, finished topics shrink to their summaries, then the oldest turns of
 * the current topic go, so prompts stay bounded however long the meeting runs.
 * Each line starts with its turn number, which minutes cite.
 */
export function buildTranscript(turns: TurnRow[], agenda: string[], agents: AgentRegistry, tokenBudget: number): string {
  const line = (turn: TurnRow) => {
    const role = turn.agentId ? agents.find(turn.agentId) : undefined;
    const who = role ? `${role.name} (${role.title})` : (turn.speakerName ?? turn.agentId ?? 'someone');
    const label = turn.kind === 'topic_summary' ? 'summary' : turn.kind === 'human' ? 'person in the meeting' : turn.kind;
    return `#${turn.seq} [${who}, ${label}] ${turn.content.trim()}`;
  };
  const byTopic = new Map<number, TurnRow[]>();
  for (const turn of turns) byTopic.set(turn.topicIndex, [...(byTopic.get(turn.topicIndex) ?? []), turn]);
  const current = turns.at(-1)?.topicIndex ?? 0;
  const blocks = [...byTopic.entries()].map(([topicIndex, topicTurns]) => ({ topicIndex, turns: topicTurns }));
  const render = (compactBefore: number, dropFromCurrent: number) =>
    blocks
      .map(({ topicIndex, turns: topicTurns }) => {
        const header = `Topic ${topicIndex + 1}: ${agenda[topicIndex] ?? ''}`;
        const summary = topicTurns.find((t) => t.kind === 'topic_summary');
        if (topicIndex < compactBefore && summary) return `${header}\n${line(summary)}`;
        const shown = topicIndex === current ? topicTurns.slice(dropFromCurrent) : topicTurns;
        const dropped = topicIndex === current && dropFromCurrent > 0 ? `(${dropFromCurrent} earlier turns omitted)\n` : '';
        return `${header}\n${dropped}${shown.map(line).join('\n')}`;
      })
      .join('\n\n');
  let text = render(-1, 0);
  if (estimateTokens(text) <= tokenBudget) return text;
  text = render(current, 0);
  if (estimateTokens(text) <= tokenBudget) return text;
  // The fewest oldest turns to drop, found by halving (the text only shrinks as more go): a pick's short transcript in a long topic would otherwise render it once per turn dropped.
  const currentTurns = byTopic.get(current)?.length ?? 0;
  if (currentTurns <= 1) return text;
  // At most all but the latest turn go; if even that is too long, it is what is left.
  let [fits, tooLong] = [currentTurns - 1, 0];
  while (fits - tooLong > 1) {
    const drop = (fits + tooLong) >> 1;
    if (estimateTokens(render(current, drop)) <= tokenBudget) fits = drop;
    else tooLong = drop;
  }
  return render(current, fits);
}
