import { isCouncilError, toUserMessage } from '../errors.js';

/** What a face prints for a failure: one line per bad setting for configuration errors, else one line. */
export function failureLines(error: unknown): string[] {
  const problems = isCouncilError(error) ? error.details.problems : undefined;
  if (Array.isArray(problems) && problems.length > 0) return problems.map(String);
  return [toUserMessage(error).replace(/\n\s*/g, '; ')];
}
