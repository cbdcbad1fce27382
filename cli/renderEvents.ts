import type { CouncilEvent } from '../core/events.js';
import type { CliIo } from './runtime.js';

/** Prints a single agent's event stream as it arrives. */
export async function printReplyStream(io: CliIo, events: AsyncIterable<CouncilEvent>): Promise<Extract<CouncilEvent, { type: 'turn_done' }> | null> {
  let done: Extract<CouncilEvent, { type: 'turn_done' }> | null = null;
  for await (const event of events) {
    if (event.type === 'token') io.out.write(event.text);
    if (event.type === 'turn_done') {
      done = event;
      io.out.write(event.content.endsWith('\n') ? '' : '\n');
    }
  }
  return done;
}
