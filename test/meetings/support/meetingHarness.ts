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

export const isMinutes = (req: FakeChatRequest) => Boolean(req.format) && req.messages[0]!.content.startsWith('You write the minutes');
export const isPick = (req: FakeChatRequest) => Boolean(req.format) && !isMinutes(req);
export const choicesOf = (req: FakeChatRequest) => ((req.format as { properties: { next: { enum: string[] } } }).properties.next.enum);
export const lastSpeakerOf = (req: FakeChatRequest) => /Last speaker: ([\w:-]+)\./.exec(req.messages.at(-1)!.content)?.[1] ?? null;

export const chatBodies = (fake: FakeOllama) => fake.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as FakeChatRequest);
export const turnPrompts = (fake: FakeOllama) => chatBodies(fake).filter((b) => !b.format).map((b) => b.messages.map((m) => m.content).join('\n'));

export const emptyMinutes = (extra: Record<string, unknown> = {}) => JSON.stringify({ summary: 'Agreed.', decisions: [], action_items: [], open_questions: [], risks: [], sections: {}, ...extra });
