import { CouncilError } from '../../core/errors.js';
import type { CouncilEvent } from '../../core/events.js';
import { cliCaller } from '../../core/memory/scope.js';
import { printMeetingEvents } from '../printMeetingEvents.js';
import { printReplyStream } from '../renderEvents.js';
import { writeEvent, type Command, type CommandContext } from '../runtime.js';

/** A first-run tour: one chat, one consult, one short meeting. With --json, every event as one NDJSON line. */
export const demo: Command = async (ctx) => {
  const council = await ctx.council();
  const failing = (await council.checks()).filter((check) => !check.ok);
  if (failing.length > 0) throw new CouncilError('ollama_unreachable', `not ready: ${failing.map((c) => c.problem ?? c.name).join('; ')}`);
  const step = (index: number, title: string) => (ctx.json ? writeEvent(ctx.io, { type: 'demo_step', step: index, title }) : ctx.io.out.write(`\n=== ${index}. ${title} ===\n\n`));
  const scope = `cli:demo:${Date.now()}`;
  const caller = cliCaller();

  step(1, 'A chat with the backend developer');
  const chat = council.chatStream({ agent: 'backend_developer', message: 'What are REST API best practices? Three bullets.', caller, scope, signal: ctx.signal });
  await (ctx.json ? emitAll(ctx, chat) : printReplyStream(ctx.io, chat));

  step(2, 'Consulting two colleagues at once');
  let failures = 0;
  for await (const event of council.consultStream({ message: 'How should a small team start with microservices?', agents: ['solutions_architect', 'backend_developer'], caller, scope, signal: ctx.signal })) {
    if (event.type === 'error') failures++;
    if (ctx.json) writeEvent(ctx.io, event);
    else if (event.type === 'turn_done') ctx.io.out.write(`\n-- ${council.agents.get(event.agent).name}:\n${event.content.trim()}\n`);
    else if (event.type === 'error') ctx.io.out.write(`\n-- ${event.agent}: ${event.message}\n`);
  }

  step(3, 'A short architecture review');
  const meeting = await council.createMeeting({
    type: 'architecture_review',
    title: 'Demo: splitting the monolith',
    topics: ['Where to draw the first service boundary'],
    participants: ['software_architect', 'backend_developer', 'site_reliability_engineer'],
  });
  const events = council.runMeeting(meeting.id, { signal: ctx.signal });
  const ended = ctx.json ? await emitAll(ctx, events) : await printMeetingEvents(council, ctx.io, events, true);
  if (failures > 0 || (ended && ended.type === 'meeting_ended' && ended.status !== 'completed')) ctx.exitCode = 1;
  if (!ctx.json) ctx.io.out.write(`\nThat's Council. Try: council agents · council chat <agent> · council meeting types\n`);
};

/** Writes each event as it comes; returns the last one. */
async function emitAll(ctx: CommandContext, events: AsyncIterable<CouncilEvent>): Promise<CouncilEvent | null> {
  let last: CouncilEvent | null = null;
  for await (const event of events) {
    writeEvent(ctx.io, event);
    last = event;
  }
  return last;
}
