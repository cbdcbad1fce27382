import type { TopicState } from './topicState.js';

/** What the facilitator may choose now: who may speak (not the last speaker), the people if they can answer, close once everyone was heard. */
export function facilitatorChoices(participants: readonly string[], state: TopicState): string[] {
  const speakers = participants.length > 1 ? participants.filter((id) => id !== state.lastSpeaker) : [...participants];
  const everyoneHeard = participants.every((id) => (state.heard.get(id) ?? 0) > 0);
  return [...speakers, ...(state.peoplePresent && !state.questionOpen ? ['humans'] : []), ...(everyoneHeard ? ['close'] : [])];
}
