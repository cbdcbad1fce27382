import { isExtractionRequest } from './isExtractionRequest.js';
import { jsonSchemaInstance } from './jsonSchemaInstance.js';
import type { FakeChatRequest } from './types.js';

const advice = [
  'Start with the simplest thing that works and measure it before tuning anything.',
  'Write down the trade-off we are making, so we can revisit it when the numbers change.',
  'I would look at the failure modes first: timeouts, retries and what happens on partial writes.',
  'Ship it behind a flag and watch the error rate for a week.',
  'Keep the interface small; we can always add to it, removing is harder.',
  'Let us agree on how we will know it worked before we build it.',
  'The risk I see is operational rather than technical, so let us name an owner.',
  'A short spike of a day or two would settle the open question cheaply.',
];

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The first line of the system prompt, shortened to the name in "You are <name>, a ...". */
function persona(request: FakeChatRequest): string {
  const firstLine = request.messages.find((m) => m.role === 'system')?.content.trim().split('\n')[0] ?? '';
  const named = /^You are ([^,.;]+)/i.exec(firstLine)?.[1];
  return (named ?? firstLine).trim().slice(0, 60) || 'Assistant';
}

function lastUserMessage(request: FakeChatRequest): string {
  return ([...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '').replace(/\s+/g, ' ').trim();
}

function shorten(text: string, words: number, chars: number): string {
  const cut = text.split(' ').slice(0, words).join(' ').slice(0, chars);
  return cut.length < text.length ? `${cut}…` : cut;
}

/**
 * A deterministic, content-aware answer: names the persona and the question,
 * then a few sentences of advice picked by a hash of both. For structured
 * output it returns a JSON instance of the requested schema instead.
 */
export function defaultResponder(request: FakeChatRequest): string {
  const who = persona(request);
  const question = lastUserMessage(request);
  const seed = hash(`${who}\n${question}`);
  // Council's memory extraction: like a small model that finds nothing, so the rules decide (scriptExtraction scripts it).
  if (isExtractionRequest(request)) return '{"memories": []}';
  if (request.format && typeof request.format === 'object') {
    return JSON.stringify(jsonSchemaInstance(request.format, { topic: shorten(question, 10, 80), variant: seed % 97 }));
  }
  const sentences = [0, 1, 2].map((i) => advice[(seed + i * 3) % advice.length]!);
  const reply = `${who} here. On "${shorten(question, 16, 100)}": ${sentences.join(' ')}`;
  return request.format === 'json' ? JSON.stringify({ persona: who, answer: reply }) : reply;
}
