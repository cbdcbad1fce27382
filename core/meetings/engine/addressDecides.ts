import { unheard } from './facilitatorChoices.js';
import type { TopicState } from './topicState.js';

/**
 * The colleague the last turn called on by name speaks next, without a
 * facilitator call, when they attend and did not just speak. While someone
 * is still unheard on the topic only an unheard colleague may be called on
 * this way: the first round still gives everyone the floor before anyone
 * speaks twice. Null when the call does not decide.
 */
export function addressDecides(participants: readonly string[], state: Pick<TopicState, 'heard' | 'calledOn' | 'lastSpeaker'>): string | null {
  const called = state.calledOn;
  if (!called || !participants.includes(called) || called === state.lastSpeaker) return null;
  const waiting = unheard(participants, state);
  return waiting.length === 0 || waiting.includes(called) ? called : null;
}
