/**
 * How one tool call ended, the `outcome` label of council_tool_calls_total:
 * ran (ok, error, timeout), or was never run because the model named a tool
 * it was not offered, sent arguments that are not an object, a person denied
 * it or nobody answered in time, or a bound of the loop was already reached.
 */
export const toolCallOutcomes = ['ok', 'error', 'timeout', 'unknown_tool', 'bad_arguments', 'denied', 'approval_timeout', 'skipped'] as const;
export type ToolCallOutcome = (typeof toolCallOutcomes)[number];

/** What the approval step decided: `granted` when the grant itself counts as approval (CLI --tools, a key's rights, mode never). */
export type ToolApproval = 'granted' | 'approved' | 'denied' | 'timeout';

/** One call as stored on the message or meeting turn and audited: never the output itself, only its size and digest. */
export interface ToolCallRecord {
  tool: string;
  /** What the model sent, cut to a few thousand characters of JSON when longer. */
  arguments: unknown;
  outcome: ToolCallOutcome;
  approval: ToolApproval | null;
  durationMs: number;
  /** Characters of output the model was given (after the cap); 0 when the call did not run. */
  outputChars: number;
  /** sha256 of the raw output, so a stored call can be matched with what the server returned. */
  outputSha256: string | null;
}

/** The stored record of a call as a stream showed it (a tool_call event or a shown call): everything but the output. */
export function toolCallRecord(call: ToolCallRecord & { output?: unknown }): ToolCallRecord {
  const { tool, arguments: args, outcome, approval, durationMs, outputChars, outputSha256 } = call;
  return { tool, arguments: args, outcome, approval, durationMs, outputChars, outputSha256 };
}
