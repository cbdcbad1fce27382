import type { TopicState } from './topicState.js';

/**
 * The deterministic rule the facilitator falls back to: the participant heard
 * least on this topic, never the last speaker, ties going to the order of the
 * invitation. With one participant, they speak again.
 */
export function leastHeard(participants: readonly string[], state: Pick<TopicState, 'heard' | 'lastSpeaker'>): string {
  const candidates = participants.length > 1 ? participants.filter((id) => id !== state.lastSpeaker) : participants;
  let best = candidates[0]!;
  for (const id of candidates) if ((state.heard.get(id) ?? 0) < (state.heard.get(best) ?? 0)) best = id;
  return best;
}
