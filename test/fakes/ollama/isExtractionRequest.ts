import type { FakeChatRequest } from './types.js';

/** Whether a request is Council's memory extraction: structured output whose schema has `memories`. */
export function isExtractionRequest(request: FakeChatRequest): boolean {
  const format = request.format as { properties?: Record<string, unknown> } | undefined;
  return typeof format === 'object' && format !== null && 'memories' in (format.properties ?? {});
}
