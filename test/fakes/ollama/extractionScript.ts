import { defaultResponder } from './defaultResponder.js';
import { isExtractionRequest } from './isExtractionRequest.js';
import type { FakeChatRequest, Responder } from './types.js';

/**
 * A responder that answers memory extractions from a script, in order, as a
 * small local model would: valid JSON, JSON in fences or prose, broken JSON,
 * nothing. A script entry may be a function of the request (to echo an id it
 * was shown). Other requests, and extractions past the script's end, go to
 * `otherwise` (the default responder, which finds nothing to extract).
 */
export function scriptExtraction(otherwise: Responder = defaultResponder) {
  const script: Array<string | ((request: FakeChatRequest) => string | Promise<string>)> = [];
  const seen: FakeChatRequest[] = [];
  const responder: Responder = (request) => {
    if (!isExtractionRequest(request)) return otherwise(request);
    seen.push(request);
    const next = script.shift();
    if (next === undefined) return otherwise(request);
    return typeof next === 'function' ? next(request) : next;
  };
  return {
    responder,
    /** Queues outputs for the next extractions. */
    push: (...outputs: Array<string | ((request: FakeChatRequest) => string | Promise<string>)>) => void script.push(...outputs),
    /** The extraction requests answered so far. */
    requests: seen,
  };
}

/** The ids of existing memories an extraction prompt listed, in order. */
export function idsShown(request: FakeChatRequest): string[] {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  return [...system.matchAll(/- id ([0-9a-f-]{36}):/g)].map((match) => match[1]!);
}
