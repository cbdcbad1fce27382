import { unheard } from './facilitatorChoices.js';
import type { TopicState } from './topicState.js';

/**
 * The next speaker when the rule already decides and a facilitator call would
 * only cost time: nobody heard yet (the first in the invitation's order), or
 * one participant left unheard (they). Null when the facilitator has a choice.
 */
export function ruleDecides(participants: readonly string[], state: Pick<TopicState, 'heard'>): { next: string; reason: string } | null {
  const waiting = unheard(participants, state);
  if (waiting.length === 0) return null;
  if (waiting.length === participants.length) return { next: waiting[0]!, reason: 'first view on the topic, in the order of the invitation' };
  if (waiting.length === 1) return { next: waiting[0]!, reason: 'the only participant not yet heard on this topic' };
  return null;
}
