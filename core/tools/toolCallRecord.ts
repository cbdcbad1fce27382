/**
 * How one tool call ended, the `outcome` label of council_tool_calls_total:
 * ran (ok, error, timeout), or was never run because the model named a tool
 * it was not offered, sent arguments that are not an object, a person denied
 * it or nobody answered in time, it needed an approval and nobody could be
 * asked (no Discord connection here, or the channel refused the question:
 * no_approver), or a bound of the loop
 * was already reached.
 */
export const toolCallOutcomes = ['ok', 'error', 'timeout', 'unknown_tool', 'bad_arguments', 'denied', 'approval_timeout', 'no_approver', 'skipped'] as const;
export type ToolCallOutcome = (typeof toolCallOutcomes)[number];

/**
 * What the approval step decided: `granted` when the grant itself counts as
 * approval (CLI --tools, a key's rights, mode never); `unavailable` when an
 * approval was needed and nobody could be asked (no face here that can ask a
 * person, or the question could not be posted).
 */
export const toolApprovals = ['granted', 'approved', 'denied', 'timeout', 'unavailable'] as const;
export type ToolApproval = (typeof toolApprovals)[number];

/** Why a call was not run, as the lines people read say it (Discord, the terminal). */
export const notRunReasons: Partial<Record<ToolCallOutcome, string>> = {
  unknown_tool: 'not run: it is not a tool allowed here',
  bad_arguments: 'not run: its arguments were not an object',
  denied: 'not run: denied',
  approval_timeout: 'not run: nobody approved it in time',
  no_approver: 'not run: it needs an approval, and nobody could be asked (no Discord connection here, or the channel refused the question)',
  skipped: 'not run: a limit for this answer was reached',
};

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
