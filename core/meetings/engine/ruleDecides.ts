import { unheard } from './facilitatorChoices.js';
import type { TopicState } from './topicState.js';

/**
 * The next speaker when the rule already decides and a facilitator call would
 * only cost time: the first round of a topic, where everyone not yet heard
 * speaks in the order of the invitation (the first view, then each next one,
 * the last one unheard). Only once everyone was heard does the facilitator
 * choose; null then. A person naming a colleague still comes first (conductTopics).
 */
export function ruleDecides(participants: readonly string[], state: Pick<TopicState, 'heard'>): { next: string; reason: string } | null {
  const waiting = unheard(participants, state);
  if (waiting.length === 0) return null;
  if (waiting.length === participants.length) return { next: waiting[0]!, reason: 'first view on the topic, in the order of the invitation' };
  if (waiting.length === 1) return { next: waiting[0]!, reason: 'the only participant not yet heard on this topic' };
  return { next: waiting[0]!, reason: 'first round: the next participant not yet heard, in the order of the invitation' };
}
