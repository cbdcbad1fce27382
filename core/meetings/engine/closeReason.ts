import type { ClosedBy } from '../store/topicStore.js';
import type { TopicState } from './topicState.js';

/** Why the topic ends now without the facilitator's word, or null: the people asked, everyone passed, or its turn budget is spent. */
export function closeReason(state: Pick<TopicState, 'humansClose' | 'allPassed' | 'spoken'>, budget: number): { closedBy: ClosedBy; reason: string } | null {
  if (state.humansClose) return { closedBy: 'humans', reason: 'the people in the meeting asked to move on' };
  if (state.allPassed) return { closedBy: 'passes', reason: 'every participant passed' };
  if (state.spoken >= budget) return { closedBy: 'budget', reason: `the topic's ${budget} turns were spent` };
  return null;
}
