import { createInterface } from 'node:readline';
import type { Council } from '../core/council.js';
import { toUserMessage } from '../core/errors.js';
import { cliCaller } from '../core/memory/scope.js';
import type { CliIo } from './runtime.js';

const commands: Record<string, (council: Council, id: string) => Promise<unknown>> = {
  '/pause': (council, id) => council.meetings.pause(id),
  '/resume': (council, id) => council.meetings.resume(id),
  '/cancel': (council, id) => council.meetings.cancel(id),
};

/**
 * The person at the terminal takes part: each line read from stdin (typed or
 * piped) is said in the meeting as them; /pause, /resume and /cancel control
 * it. A failure is one line on stderr; the meeting carries on.
 */
export function readMeetingInput(council: Council, io: CliIo, meetingId: string): { close(): void } {
  const speaker = cliCaller();
  const me = { ...speaker, name: speaker.ownerId.slice('cli:'.length) };
  const lines = createInterface({ input: io.input, terminal: false });
  lines.on('line', (line) => {
    const text = line.trim();
    if (!text) return;
    const command = commands[text.toLowerCase()];
    const sent = command ? command(council, meetingId) : council.meetings.post(meetingId, text, me);
    sent.catch((error: unknown) => io.err.write(`council: ${toUserMessage(error)}\n`));
  });
  lines.on('error', () => lines.close());
  return { close: () => lines.close() };
}
