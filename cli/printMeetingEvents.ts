import type { Council } from '../core/council.js';
import type { CouncilEvent } from '../core/events.js';
import type { CliIo } from './runtime.js';

/** Renders a meeting stream for people: a header per speaker, tokens as they come, then the minutes. */
export async function printMeetingEvents(council: Council, io: CliIo, events: AsyncIterable<CouncilEvent>, print: boolean): Promise<Extract<CouncilEvent, { type: 'meeting_ended' }> | null> {
  let ended: Extract<CouncilEvent, { type: 'meeting_ended' }> | null = null;
  for await (const event of events) {
    if (event.type === 'meeting_ended') ended = event;
    if (!print) continue;
    switch (event.type) {
      case 'meeting_started':
        io.out.write(`# ${event.title}${event.resumed ? ' (resumed)' : ''}\nmeeting ${event.meetingId}\n`);
        break;
      case 'topic_started':
        io.out.write(`\n## Topic ${event.topicIndex + 1}: ${event.topic}\n`);
        break;
      case 'turn_started': {
        const role = council.agents.get(event.agent);
        io.out.write(`\n**${role.name}** (${role.title}${event.kind === 'topic_summary' ? ', summary' : ''}):\n`);
        break;
      }
      case 'token':
        io.out.write(event.text);
        break;
      case 'turn_done':
        io.out.write('\n');
        break;
      case 'minutes':
        io.out.write(`\n---\n${event.markdown}`);
        break;
      default:
        break;
    }
  }
  return ended;
}
