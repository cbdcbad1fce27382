import { CouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { printMeetingEvents } from '../printMeetingEvents.js';
import { printReplyStream } from '../renderEvents.js';
import type { Command } from '../runtime.js';

/** A first-run tour: one chat, one consult, one short meeting. */
export const demo: Command = async (ctx) => {
  const council = await ctx.council();
  const failing = (await council.checks()).filter((check) => !check.ok);
  if (failing.length > 0) throw new CouncilError('ollama_unreachable', `not ready: ${failing.map((c) => c.problem ?? c.name).join('; ')}`);
  const say = (text: string) => ctx.io.out.write(`\n=== ${text} ===\n\n`);
  const scope = `cli:demo:${Date.now()}`;
  const caller = cliCaller();

  say('1. A chat with the backend developer');
  await printReplyStream(ctx.io, council.chatStream({ agent: 'backend_developer', message: 'What are REST API best practices? Three bullets.', scope, caller, signal: ctx.signal }));

  say('2. Consulting two colleagues at once');
  const replies = await council.consult('How should a small team start with microservices?', ['solutions_architect', 'backend_developer'], { scope, signal: ctx.signal });
  for (const reply of replies) ctx.io.out.write(`\n-- ${council.agents.get(reply.agent).name}:\n${reply.error ? reply.error.message : reply.reply.trim()}\n`);

  say('3. A short architecture review');
  const meeting = await council.createMeeting({
    type: 'architecture_review',
    title: 'Demo: splitting the monolith',
    topics: ['Where to draw the first service boundary'],
    participants: ['software_architect', 'backend_developer', 'site_reliability_engineer'],
  });
  await printMeetingEvents(council, ctx.io, council.runMeeting(meeting.id, { signal: ctx.signal }), true);
  ctx.io.out.write(`\nThat's Council. Try: council agents · council chat <agent> · council meeting types\n`);
};
