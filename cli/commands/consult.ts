import { CouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { readAttachedFiles } from '../readAttachedFiles.js';
import { sessionOf, toolsOf, writeJson, type Command } from '../runtime.js';

export const consult: Command = async (ctx) => {
  const message = ctx.args.join(' ').trim();
  const agents = typeof ctx.flags.agents === 'string' ? ctx.flags.agents.split(',').map((a) => a.trim()).filter(Boolean) : [];
  if (!message || agents.length === 0) throw new CouncilError('bad_usage', 'usage: council consult <message...> --agents a,b,c [--file PATH]... [--tools server.tool,...] [--json]');
  const council = await ctx.council();
  const session = sessionOf(ctx);
  const attachments = await readAttachedFiles(ctx, council.config.ATTACHMENT_MAX_BYTES);
  const options = { scope: `cli:${session}`, caller: cliCaller(), signal: ctx.signal, attachments, ...toolsOf(ctx) };
  if (ctx.json) {
    const replies = await council.consult(message, agents, options);
    writeJson(ctx.io, replies);
    // The replies carry each error; the exit code still says that nobody answered.
    if (replies.every((reply) => reply.error)) ctx.exitCode = 1;
    return;
  }
  // Tokens of parallel agents would interleave unreadably, so each reply is printed whole as it completes.
  let failures = 0;
  for await (const event of council.consultStream({ ...options, message, agents })) {
    if (event.type === 'turn_done') {
      const agent = council.agents.get(event.agent);
      ctx.io.out.write(`\n── ${agent.name} (${agent.id}) ──\n${event.content.trim()}\n`);
    } else if (event.type === 'error') {
      failures++;
      ctx.io.err.write(`council: ${event.agent}: ${event.message}\n`);
    }
  }
  if (failures >= new Set(agents).size) ctx.exitCode = 1;
};
