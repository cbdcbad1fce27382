import { CouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { readAttachedFiles } from '../readAttachedFiles.js';
import { printReplyStream } from '../renderEvents.js';
import { sessionOf, toolsOf, writeJson, type Command } from '../runtime.js';

export const ask: Command = async (ctx) => {
  const [agent, ...words] = ctx.args;
  if (!agent || words.length === 0) throw new CouncilError('bad_usage', 'usage: council ask <agent> <message...> [--file PATH]... [--tools server.tool,...] [--session S] [--json]');
  const council = await ctx.council();
  const session = sessionOf(ctx);
  const attachments = await readAttachedFiles(ctx, council.config.ATTACHMENT_MAX_BYTES);
  const options = { scope: `cli:${session}`, caller: cliCaller(), signal: ctx.signal, attachments, ...toolsOf(ctx) };
  if (ctx.json) {
    const reply = await council.chatWithAgent(agent, words.join(' '), options);
    return writeJson(ctx.io, { ...reply, session });
  }
  await printReplyStream(ctx.io, council.chatStream({ ...options, agent, message: words.join(' ') }));
};
