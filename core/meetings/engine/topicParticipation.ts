import type { TurnRow } from '../store/meetingStore.js';
import type { ClosedBy } from '../store/topicStore.js';

export interface TopicParticipation {
  topicIndex: number;
  /** Participants who had the floor (a pass included), in the order of the invitation, with their turns. */
  spoke: Array<{ id: string; turns: number }>;
  /** Participants never heard on the topic, and why. */
  unheard: Array<{ id: string; why: string }>;
  /** Heard over invited, 0..1. */
  ratio: number;
}

const why: Record<ClosedBy, string> = {
  humans: 'a person closed the topic before their turn',
  budget: 'the turn budget ran out before their turn',
  facilitator: 'the facilitator closed the topic before their turn',
  passes: 'everyone else passed',
};

/** Who spoke on a topic and who was not heard, from its stored turns and how it was closed. */
export function topicParticipation(turns: readonly TurnRow[], topicIndex: number, participants: readonly string[], closedBy: ClosedBy | null): TopicParticipation {
  const counts = new Map(participants.map((id) => [id, 0]));
  for (const turn of turns) {
    if (turn.topicIndex === topicIndex && (turn.kind === 'position' || turn.kind === 'dissent' || turn.kind === 'contribution' || turn.kind === 'pass') && turn.agentId && counts.has(turn.agentId)) counts.set(turn.agentId, counts.get(turn.agentId)! + 1);
  }
  const spoke = participants.filter((id) => counts.get(id)! > 0).map((id) => ({ id, turns: counts.get(id)! }));
  const unheard = participants.filter((id) => counts.get(id) === 0).map((id) => ({ id, why: closedBy ? why[closedBy] : 'the meeting ended before their turn' }));
  return { topicIndex, spoke, unheard, ratio: participants.length === 0 ? 1 : spoke.length / participants.length };
}
