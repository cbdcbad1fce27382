import type { CouncilEvent } from '../../events.js';
import type { LlmMessage } from '../../llm/types.js';
import type { ToolingChunk } from '../../tools/chatWithTools.js';
import type { MeetingRow, NewTurn, TurnRow } from '../store/meetingStore.js';
import type { ClosedBy } from '../store/topicStore.js';
import type { TurnKind } from '../../db/schema.js';

/** The kinds of turn a persona speaks (a pass is decided from what it said; people speak as `human`). */
export type SpokenKind = Exclude<TurnKind, 'pass' | 'human'>;

/**
 * The engine decides; these ports do. A run wires them to the database under
 * the lease, the LLM client and the meeting's signals (coordination/); a test
 * wires them to arrays and a scripted model, and runs in milliseconds.
 */

/** What the engine needs to know of a meeting: its plan, not its runner or status. */
export type MeetingPlan = Pick<MeetingRow, 'id' | 'title' | 'description' | 'facilitator' | 'participants' | 'agenda'>;

export interface ClosedTopic {
  topicIndex: number;
  closedBy: ClosedBy;
  reason: string | null;
}

/** Where a meeting's turns and its topics' ends are kept. */
export interface TurnStore {
  /** Stores one turn as numbered; throws when this run may no longer write (its lease was lost). */
  addTurn(turn: Omit<NewTurn, 'meetingId'>): Promise<TurnRow>;
  /** The first close wins: a resumed run never rewrites why a topic ended. */
  closeTopic(topicIndex: number, closedBy: ClosedBy, reason: string): Promise<void>;
  closedTopics(): Promise<ClosedTopic[]>;
}

/** The facilitator's question, with what it may answer as data: a scripted model reads the choices here, not in the prompt's wording. */
export interface PickRequest {
  messages: LlmMessage[];
  /** The answer's JSON schema (Ollama's structured output). */
  format: Record<string, unknown>;
  /** The most tokens the answer may take (Ollama's num_predict). */
  maxTokens: number;
  choices: readonly string[];
  lastSpeaker: string | null;
  /** Turns per participant on the current topic. */
  heard: ReadonlyMap<string, number>;
}

export interface TurnRequest {
  agentId: string;
  kind: SpokenKind;
  messages: LlmMessage[];
  temperature: number;
}

export interface MinutesRequest {
  messages: LlmMessage[];
  format: Record<string, unknown>;
  /** Who may own an action item. */
  attendees: readonly string[];
}

/** The model as a meeting uses it. A cancelled call rejects with the signal's reason, not as a failed call. */
export interface MeetingModel {
  /** Named in the error a person reads when minutes fail ("use a larger model than ..."). */
  readonly name: string;
  /** The facilitator's raw answer: the engine parses and checks it. */
  pick(request: PickRequest, signal: AbortSignal): Promise<string>;
  /** A persona's turn, token by token (and each tool call it made, as it ended), then the whole text with its stats. */
  speak(request: TurnRequest, signal: AbortSignal): AsyncIterable<ToolingChunk>;
  /** The minutes writer's raw answer. */
  minutes(request: MinutesRequest, signal: AbortSignal): Promise<string>;
}

/** Where the engine yields the floor between turns: stops, pauses and people's messages are decided outside it. */
export interface Floor {
  /**
   * Before a turn: throws to stop (shutdown, cancel), waits while paused, and
   * stores people's waiting messages as turns numbered from `nextSeq`; yields
   * what happened and returns those turns.
   */
  checkpoint(at: { topicIndex: number; round: number; nextSeq: number; force?: boolean }): AsyncGenerator<CouncilEvent, TurnRow[]>;
  /** After the facilitator asked the people: returns once someone answered, a control arrived, or the wait ran out. */
  awaitPeople(topicIndex: number): AsyncGenerator<CouncilEvent>;
}
