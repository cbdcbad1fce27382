import type { ClosedBy } from '../store/topicStore.js';
import type { TopicState } from './topicState.js';

/**
 * Why the topic ends now without the facilitator's word, or null: the people
 * asked, everyone passed, or its turn budget is spent. The budget waits for
 * every participant to be heard, up to one extra turn each (so colleagues
 * addressed by name again and again cannot keep the topic open forever).
 */
export function closeReason(state: Pick<TopicState, 'humansClose' | 'allPassed' | 'spoken' | 'heard'>, budget: number): { closedBy: ClosedBy; reason: string } | null {
  if (state.humansClose) return { closedBy: 'humans', reason: 'the people in the meeting asked to move on' };
  if (state.allPassed) return { closedBy: 'passes', reason: 'every participant passed' };
  const everyoneHeard = [...state.heard.values()].every((n) => n > 0);
  if (state.spoken >= budget && (everyoneHeard || state.spoken >= budget + state.heard.size)) return { closedBy: 'budget', reason: `the topic's ${budget} turns were spent` };
  return null;
}
