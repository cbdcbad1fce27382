import { CouncilError } from '../../core/errors.js';
import { printReplyStream } from '../renderEvents.js';
import { writeJson, type Command } from '../runtime.js';

export const ask: Command = async (ctx) => {
  const [agent, ...words] = ctx.args;
  if (!agent || words.length === 0) throw new CouncilError('bad_usage', 'usage: council ask <agent> <message...> [--session S] [--json]');
  const council = await ctx.council();
  const session = typeof ctx.flags.session === 'string' ? ctx.flags.session : 'default';
  const options = { scope: `cli:${session}`, signal: ctx.signal };
  if (ctx.json) {
    const reply = await council.chatWithAgent(agent, words.join(' '), options);
    return writeJson(ctx.io, { ...reply, session });
  }
  await printReplyStream(ctx.io, council.chatStream({ ...options, agent, message: words.join(' ') }));
};
