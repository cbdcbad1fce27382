import type { TopicState } from './topicState.js';

/** Participants who have not had the floor on this topic yet, in the order of the invitation. */
export const unheard = (participants: readonly string[], state: Pick<TopicState, 'heard'>): string[] => participants.filter((id) => (state.heard.get(id) ?? 0) === 0);

/**
 * What the facilitator may choose now. Until everyone was heard on the topic,
 * only those not yet heard (a model that always takes the first option offered
 * still gives every participant the floor); then anyone but the last speaker,
 * and close. The people whenever they can answer.
 */
export function facilitatorChoices(participants: readonly string[], state: TopicState): string[] {
  const waiting = unheard(participants, state);
  const speakers = waiting.length > 0 ? waiting : participants.length > 1 ? participants.filter((id) => id !== state.lastSpeaker) : [...participants];
  return [...speakers, ...(state.peoplePresent && !state.questionOpen ? ['humans'] : []), ...(waiting.length === 0 ? ['close'] : [])];
}
