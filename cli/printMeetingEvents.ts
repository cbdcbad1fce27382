import type { Council } from '../core/council.js';
import type { CouncilEvent } from '../core/events.js';
import { toolCallLine } from './renderEvents.js';
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
        io.out.write(`\n**${role.name}** (${role.title}${event.kind === 'topic_summary' ? ', summary' : event.kind === 'question' ? ', asks you' : ''}):\n`);
        break;
      }
      case 'token':
        io.out.write(event.text);
        break;
      case 'turn_done':
        io.out.write('\n');
        break;
      case 'tool_call':
        // On stderr, as for a chat: the meeting's text on stdout stays the meeting.
        io.err.write(toolCallLine(event));
        break;
      case 'human_turn':
        io.out.write(`\n> ${event.speakerName}: ${event.content}\n`);
        break;
      case 'topic_closed':
        io.out.write(`\n(topic closed: ${event.reason})\n`);
        break;
      case 'waiting_for_people':
        io.out.write(`\n(the facilitator asks you: type an answer; the meeting goes on in ${Math.round(event.waitMs / 1000)} s)\n`);
        break;
      case 'meeting_paused':
        io.out.write('\n(paused: type /resume to go on, /cancel to end it)\n');
        break;
      case 'meeting_resumed':
        io.out.write('\n(resumed)\n');
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
