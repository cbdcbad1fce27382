import type { CouncilEvent } from '../../../core/events.js';
import type { FakeChatRequest, FakeOllama } from '../../fakes/ollama/index.js';

export { waitFor } from '../../support/waitFor.js';

/** Consumes a meeting's events in the background, as a face does, so the runner keeps going while the test acts. */
export function consume(events: AsyncIterable<CouncilEvent>, onEvent: (event: CouncilEvent) => void = () => {}) {
  const seen: CouncilEvent[] = [];
  const done = (async () => {
    for await (const event of events) {
      seen.push(event);
      onEvent(event);
    }
    return seen;
  })();
  return { seen, done };
}

/** Structured calls are told apart by their answer's schema, not by their prompts' wording. */
const answerFields = (req: FakeChatRequest) => Object.keys((req.format as { properties?: object } | undefined)?.properties ?? {});
export const isMinutes = (req: FakeChatRequest) => answerFields(req).includes('summary');
export const isPick = (req: FakeChatRequest) => answerFields(req).includes('next');
/** What the facilitator may answer: the enum of its answer's schema. */
export const choicesOf = (req: FakeChatRequest) => ((req.format as { properties: { next: { enum: string[] } } }).properties.next.enum);

/**
 * Who has spoken on the current topic, kept from the run's events: a scripted
 * facilitator reads the floor from what happened, never from the prompt's
 * wording. Pass `see` as consume's onEvent; events arrive before the runner
 * asks the facilitator again, so the tally is current when the fake answers.
 */
export function floorTally() {
  const heard = new Map<string, number>();
  let last: string | null = null;
  return {
    see(event: CouncilEvent): void {
      if (event.type === 'topic_started') {
        heard.clear();
        last = null;
      }
      if (event.type === 'turn_done' && (event.kind === 'contribution' || event.kind === 'pass')) {
        heard.set(event.agent, (heard.get(event.agent) ?? 0) + 1);
        last = event.agent;
      }
    },
    get lastSpeaker(): string | null {
      return last;
    },
    heard: (agentId: string): number => heard.get(agentId) ?? 0,
  };
}

export const chatBodies = (fake: FakeOllama) => fake.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as FakeChatRequest);
export const turnPrompts = (fake: FakeOllama) => chatBodies(fake).filter((b) => !b.format).map((b) => b.messages.map((m) => m.content).join('\n'));

export const emptyMinutes = (extra: Record<string, unknown> = {}) => JSON.stringify({ summary: 'Agreed.', decisions: [], action_items: [], open_questions: [], risks: [], sections: {}, ...extra });
