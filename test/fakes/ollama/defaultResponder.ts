import { jsonSchemaInstance } from './jsonSchemaInstance.js';
import type { FakeChatRequest } from './types.js';

let counter = 0;

/** A short, deterministic answer that shows who answered and to what. */
export function defaultResponder(request: FakeChatRequest): string {
  if (request.format && typeof request.format === 'object') {
    return JSON.stringify(jsonSchemaInstance(request.format as Record<string, unknown>, request.format as Record<string, unknown>, counter++));
  }
  if (request.format === 'json') return JSON.stringify({ answer: 'ok' });
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  const persona = /You are ([^,.\n]+)/.exec(system)?.[1] ?? 'an assistant';
  const last = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const topic = last.replace(/\s+/g, ' ').slice(0, 80);
  return `As ${persona}, on "${topic}": start with the simplest thing that works, measure it, and write down the trade-offs. I would check the failure modes first.`;
}
