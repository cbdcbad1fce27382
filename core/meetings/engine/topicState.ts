import type { AgentRegistry } from '../../agents/agentRegistry.js';
import { findAddressed, wantsTopicClosed } from './humanTurns.js';
import type { TurnRow } from '../store/meetingStore.js';
import { turnAddressee } from './turnAddressee.js';

/** Where one topic stands, rebuilt from its stored turns alone, so a resumed run picks up exactly where the last stopped. */
export interface TopicState {
  opened: boolean;
  summarized: boolean;
  /** Participants' turns (contributions and passes): what the turn budget counts. */
  spoken: number;
  /** Turns per participant on this topic. */
  heard: Map<string, number>;
  /** The attendee who spoke last (facilitator openings and questions excluded). */
  lastSpeaker: string | null;
  /** An attendee a person named who has not answered since, and that person's name. */
  addressed: string | null;
  addressedBy: string | null;
  /**
   * A colleague the last persona turn called on by name, and who called. A
   * turn answering such a call calls on nobody, so two personas cannot hand
   * the floor back and forth without the facilitator.
   */
  calledOn: string | null;
  calledBy: string | null;
  /** Every participant passed since the last thing a person said. */
  allPassed: boolean;
  /** A person asked to end the topic after the last persona turn. */
  humansClose: boolean;
  /** People have spoken in the meeting, so asking them a question can be answered. */
  peoplePresent: boolean;
  /** The facilitator asked the people and nobody has answered yet. */
  questionOpen: boolean;
  /** The round the next contribution belongs to (1-based). */
  round: number;
}

export function replayTopic(turns: readonly TurnRow[], topicIndex: number, attendees: readonly string[], participants: readonly string[], agents: AgentRegistry): TopicState {
  const state: TopicState = {
    opened: false,
    summarized: false,
    spoken: 0,
    heard: new Map(participants.map((id) => [id, 0])),
    lastSpeaker: null,
    addressed: null,
    addressedBy: null,
    calledOn: null,
    calledBy: null,
    allPassed: false,
    humansClose: false,
    peoplePresent: turns.some((t) => t.kind === 'human'),
    questionOpen: false,
    round: 1,
  };
  let passedSinceHuman = new Set<string>();
  let spokeSinceHuman = new Set<string>();
  for (const turn of turns) {
    if (turn.topicIndex !== topicIndex) continue;
    switch (turn.kind) {
      case 'opening':
        state.opened = true;
        break;
      case 'topic_summary':
        state.summarized = true;
        break;
      case 'question':
        state.questionOpen = true;
        break;
      case 'human':
        state.questionOpen = false;
        {
          const named = findAddressed(turn.content, attendees, agents);
          if (named) {
            state.addressed = named;
            state.addressedBy = turn.speakerName ?? 'someone';
          }
        }
        if (wantsTopicClosed(turn.content)) state.humansClose = true;
        passedSinceHuman = new Set();
        spokeSinceHuman = new Set();
        break;
      case 'position':
      case 'dissent':
      case 'contribution':
      case 'pass': {
        const speaker = turn.agentId ?? '';
        if (participants.includes(speaker)) {
          state.spoken++;
          state.heard.set(speaker, (state.heard.get(speaker) ?? 0) + 1);
        }
        state.lastSpeaker = speaker;
        if (state.addressed === speaker) {
          state.addressed = null;
          state.addressedBy = null;
        }
        const answersCall = state.calledOn === speaker;
        const callee = !answersCall && (turn.kind === 'contribution' || turn.kind === 'dissent') ? turnAddressee(turn.content, speaker, participants, agents) : null;
        state.calledOn = callee;
        state.calledBy = callee ? speaker : null;
        state.humansClose = false;
        spokeSinceHuman.add(speaker);
        if (turn.kind === 'pass') passedSinceHuman.add(speaker);
        else passedSinceHuman.delete(speaker);
        break;
      }
      default:
        break;
    }
  }
  state.allPassed = participants.every((id) => spokeSinceHuman.has(id) && passedSinceHuman.has(id));
  state.round = Math.floor(state.spoken / Math.max(1, participants.length)) + 1;
  return state;
}
