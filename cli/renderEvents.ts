import type { CouncilEvent } from '../core/events.js';
import { notRunReasons } from '../core/tools/toolCallRecord.js';
import type { CliIo } from './runtime.js';

/** Prints a single agent's event stream as it arrives. */
export async function printReplyStream(io: CliIo, events: AsyncIterable<CouncilEvent>): Promise<Extract<CouncilEvent, { type: 'turn_done' }> | null> {
  let done: Extract<CouncilEvent, { type: 'turn_done' }> | null = null;
  for await (const event of events) {
    if (event.type === 'token') io.out.write(event.text);
    // One line per call, on stderr so a piped answer stays the answer.
    if (event.type === 'tool_call') io.err.write(toolCallLine(event));
    if (event.type === 'turn_done') {
      done = event;
      io.out.write(event.content.endsWith('\n') ? '' : '\n');
    }
  }
  return done;
}

/** One call as a line for stderr: the tool, how it ended, and for a call that ran its time and output size, else why it did not run. */
export function toolCallLine(event: Extract<CouncilEvent, { type: 'tool_call' }>): string {
  const ran = event.outcome === 'ok' || event.outcome === 'error';
  const why = notRunReasons[event.outcome];
  return `[tool ${event.tool}: ${event.outcome}${ran ? `, ${event.durationMs} ms, ${event.outputChars} characters` : why ? `, ${why}` : ''}]\n`;
}
