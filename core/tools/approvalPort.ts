import type { Caller } from '../memory/scope.js';

/** One tool call waiting for a person's word. */
export interface ApprovalRequest {
  tool: string;
  arguments: Record<string, unknown>;
  /** The colleague who wants to call it. */
  agent: string;
  /** Who asked the question the call serves: the one who approves in `requester` mode. */
  requester: Caller;
  /** requester: only the person who asked; admins: only someone who may manage the server. */
  mode: 'requester' | 'admins';
  timeoutMs: number;
  /** Stops the wait (the answer was cancelled). */
  signal: AbortSignal;
}

/** `unasked`: the face could not put the question to anyone (the channel is gone or refuses the post). */
export type ApprovalAnswer = 'approved' | 'denied' | 'timeout' | 'unasked';

/**
 * How core asks a person to approve a tool call: a face implements it (the
 * bot with Approve/Deny buttons in the channel). Core decides when to ask and
 * what the answer means; the face decides only who pressed what.
 */
export interface ApprovalPort {
  request(request: ApprovalRequest): Promise<ApprovalAnswer>;
}
