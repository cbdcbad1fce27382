import { AgentRegistry } from '../../../core/agents/agentRegistry.js';
import type { CouncilEvent } from '../../../core/events.js';
import type { ChatChunk } from '../../../core/llm/types.js';
import type { ClosedTopic, Floor, MeetingModel, MeetingPlan, MinutesRequest, PickRequest, TurnRequest, TurnStore } from '../../../core/meetings/engine/ports.js';
import type { TurnRow } from '../../../core/meetings/store/meetingStore.js';
import { meetingTypeSchema, type MeetingType } from '../../../core/meetings/meetingTypeSchema.js';
import type { Role } from '../../../core/roles/roleSchema.js';

/**
 * The meeting engine's ports in memory: a turn store on an array, a scripted
 * model that records what it was asked (the choices offered are read from the
 * request, never from the prompt's wording), a floor where people speak on cue.
 */

const role = (id: string, name: string, title: string, aliases?: string[]): Role => ({
  id,
  name,
  title,
  category: 'developer',
  expertise: ['meetings'],
  prompt: `You are ${name}.`,
  file: `${id}.md`,
  ...(aliases ? { aliases } : {}),
});

export const agents = new AgentRegistry(
  [
    role('software_architect', 'Sam Okafor', 'Software Architect'),
    role('backend_developer', 'Priya Raman', 'Backend Developer', ['backend']),
    role('qa_engineer', 'Quinn Lee', 'QA Engineer'),
    role('frontend_developer', 'Felix Berg', 'Frontend Developer'),
  ],
  0.7,
);

export const facilitator = 'software_architect';
export const participants = ['backend_developer', 'qa_engineer', 'frontend_developer'];
export const attendees = [facilitator, ...participants];

export const designReview: MeetingType = meetingTypeSchema.parse({
  id: 'design_review',
  name: 'Design Review',
  description: 'Walk through a design.',
  facilitator,
  participants,
  roundsPerTopic: 2,
  maxTurnWords: 100,
  guidance: 'Be concrete.',
  minutes: { requires: ['decisions'], sections: {} },
});

export function plan(overrides: Partial<MeetingPlan> = {}): MeetingPlan {
  return { id: '00000000-0000-4000-8000-000000000001', title: 'Caching', description: null, facilitator, participants, agenda: ['Cache layer'], ...overrides };
}

/** A stored turn; seq, topic and round default to 1, 0 and 1. */
export function turn(values: Partial<TurnRow> & Pick<TurnRow, 'kind'>): TurnRow {
  return {
    id: `turn-${values.seq ?? 1}`,
    meetingId: plan().id,
    seq: 1,
    topicIndex: 0,
    round: 1,
    agentId: null,
    speakerId: null,
    speakerName: null,
    content: `said as ${values.kind}`,
    externalId: null,
    toolCalls: null,
    model: null,
    promptTokens: null,
    completionTokens: null,
    durationMs: null,
    ttftMs: null,
    createdAt: new Date(0),
    ...values,
  };
}

/** Turns numbered 1.. in the order given. */
export function turns(...values: Array<Partial<TurnRow> & Pick<TurnRow, 'kind'>>): TurnRow[] {
  return values.map((v, i) => turn({ seq: i + 1, ...v }));
}

export const said = (agentId: string, kind: TurnRow['kind'] = 'contribution', topicIndex = 0, content?: string): Partial<TurnRow> & Pick<TurnRow, 'kind'> => ({ agentId, kind, topicIndex, ...(content ? { content } : {}) });
export const person = (content: string, speakerName = 'Ana', topicIndex = 0): Partial<TurnRow> & Pick<TurnRow, 'kind'> => ({ kind: 'human', content, speakerName, speakerId: `cli:${speakerName.toLowerCase()}`, topicIndex });

/** A TurnStore on arrays, refusing a duplicate number as the database's unique index does. */
export function memoryTurnStore(stored: TurnRow[] = []): TurnStore & { stored: TurnRow[]; closed: ClosedTopic[] } {
  const closed: ClosedTopic[] = [];
  return {
    stored,
    closed,
    async addTurn(values) {
      if (stored.some((t) => t.seq === values.seq)) throw new Error(`turn ${values.seq} is already stored`);
      const row = turn({ ...values, ...(values.stats ? { model: values.stats.model } : {}) });
      stored.push(row);
      return row;
    },
    async closeTopic(topicIndex, closedBy, reason) {
      if (!closed.some((t) => t.topicIndex === topicIndex)) closed.push({ topicIndex, closedBy, reason });
    },
    async closedTopics() {
      return [...closed];
    },
  };
}

export interface Script {
  /** The facilitator's raw answer; by default the first participant offered. */
  pick?: (request: PickRequest) => string;
  /** A persona's whole turn; by default "<agent> on <kind>". */
  speak?: (request: TurnRequest) => string;
  minutes?: (request: MinutesRequest) => string;
}

/** A model that answers from a script and keeps every request it got. */
export function scriptedModel(script: Script = {}): MeetingModel & { picks: PickRequest[]; spoken: TurnRequest[]; minutesAsked: MinutesRequest[] } {
  const picks: PickRequest[] = [];
  const spoken: TurnRequest[] = [];
  const minutesAsked: MinutesRequest[] = [];
  return {
    name: 'scripted',
    picks,
    spoken,
    minutesAsked,
    async pick(request, signal) {
      signal.throwIfAborted();
      picks.push(request);
      return script.pick?.(request) ?? JSON.stringify({ next: request.choices.find((c) => c !== 'close' && c !== 'humans'), reason: 'their turn' });
    },
    async *speak(request, signal): AsyncGenerator<ChatChunk> {
      signal.throwIfAborted();
      spoken.push(request);
      const content = script.speak?.(request) ?? `${request.agentId} on ${request.kind}`;
      for (const token of content.split(/(?<= )/)) yield { token };
      yield { done: { content, model: 'scripted', promptTokens: 1, completionTokens: 1, durationMs: 1, ttftMs: 1 } };
    },
    async minutes(request, signal) {
      signal.throwIfAborted();
      minutesAsked.push(request);
      return script.minutes?.(request) ?? JSON.stringify({ summary: 'Agreed.', decisions: [], action_items: [], open_questions: [], risks: [], sections: {} });
    },
  };
}

/**
 * A floor where people speak on cue: `say` queues a message that the next
 * checkpoint stores as a human turn; `onAsked` answers the facilitator's
 * question to the people (or not); checkpoint number `stopAt` throws, as a
 * shutdown or a cancel does.
 */
export function scriptedFloor(options: { onAsked?: (floor: ScriptedFloor) => void; stopAt?: number } = {}): ScriptedFloor {
  const waiting: Array<{ content: string; speakerName: string }> = [];
  const floor: ScriptedFloor = {
    checkpoints: 0,
    stored: [],
    say(content, speakerName = 'Ana') {
      waiting.push({ content, speakerName });
    },
    async *checkpoint(at) {
      if (++floor.checkpoints === options.stopAt) throw new Error('the floor stopped the run');
      const heard = waiting.splice(0).map((m, i) => turn({ ...person(m.content, m.speakerName, at.topicIndex), seq: at.nextSeq + i, round: at.round }));
      floor.stored.push(...heard);
      for (const t of heard) yield { type: 'human_turn', meetingId: t.meetingId, topicIndex: t.topicIndex, seq: t.seq, speakerId: t.speakerId ?? '', speakerName: t.speakerName ?? '', content: t.content, externalId: null } satisfies CouncilEvent;
      return heard;
    },
    async *awaitPeople(topicIndex) {
      yield { type: 'waiting_for_people', meetingId: plan().id, topicIndex, waitMs: 0 };
      options.onAsked?.(floor);
    },
  };
  return floor;
}

export interface ScriptedFloor extends Floor {
  checkpoints: number;
  /** Where people's turns are stored: the turn store's array, as the inbox writes into the turns table. */
  stored: TurnRow[];
  say(content: string, speakerName?: string): void;
}

export async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}
