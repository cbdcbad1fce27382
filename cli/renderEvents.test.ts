import { describe, expect, it } from 'vitest';
import type { CouncilEvent } from '../core/events.js';
import { toolCallLine } from './renderEvents.js';

type ToolCallEvent = Extract<CouncilEvent, { type: 'tool_call' }>;
const event = (changes: Partial<ToolCallEvent>): ToolCallEvent => ({
  type: 'tool_call',
  agent: 'backend_developer',
  tool: 'team.lookup',
  arguments: {},
  outcome: 'ok',
  approval: 'granted',
  durationMs: 12,
  outputChars: 80,
  outputSha256: null,
  output: null,
  ...changes,
});

describe('toolCallLine', () => {
  it('gives a call that ran its time and size, and one that did not run the reason, a missing approver said as such', () => {
    expect(toolCallLine(event({}))).toBe('[tool team.lookup: ok, 12 ms, 80 characters]\n');
    expect(toolCallLine(event({ outcome: 'no_approver', approval: 'unavailable', durationMs: 0, outputChars: 0 }))).toBe('[tool team.lookup: no_approver, not run: it needs an approval, and nobody could be asked (no Discord connection here, or the channel refused the question)]\n');
    expect(toolCallLine(event({ outcome: 'approval_timeout', approval: 'timeout', durationMs: 0, outputChars: 0 }))).toBe('[tool team.lookup: approval_timeout, not run: nobody approved it in time]\n');
    expect(toolCallLine(event({ outcome: 'timeout', durationMs: 900, outputChars: 0 }))).toBe('[tool team.lookup: timeout]\n');
  });
});
