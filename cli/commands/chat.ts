import { createInterface } from 'node:readline/promises';
import { CouncilError, toUserMessage } from '../../core/errors.js';
import { printReplyStream } from '../renderEvents.js';
import type { Command } from '../runtime.js';

/** An interactive conversation; the history lives in the database, so `council chat x` later carries on. */
export const chat: Command = async (ctx) => {
  const [agentId] = ctx.args;
  if (!agentId) throw new CouncilError('bad_usage', 'usage: council chat <agent>');
  const council = await ctx.council();
  const agent = council.agents.get(agentId);
  const session = typeof ctx.flags.session === 'string' ? ctx.flags.session : 'chat';
  const terminal = Boolean((ctx.io.input as NodeJS.ReadStream).isTTY);
  const rl = createInterface({ input: ctx.io.input, output: ctx.io.out, terminal, historySize: 200 });
  ctx.io.out.write(`Talking with ${agent.name}, ${agent.title}. /exit to leave.\n`);
  try {
    for (;;) {
      const line = await rl.question(terminal ? 'you> ' : '').catch(() => null);
      if (line === null || line.trim() === '/exit') break;
      if (line.trim() === '') continue;
      const turn = new AbortController();
      const onSigint = () => turn.abort();
      rl.once('SIGINT', onSigint);
      try {
        ctx.io.out.write(`${agent.name}> `);
        await printReplyStream(ctx.io, council.chatStream({ agent: agent.id, message: line, scope: `cli:${session}`, caller: cliCaller(), signal: AbortSignal.any([turn.signal, ctx.signal]) }));
      } catch (error) {
        ctx.io.err.write(`\ncouncil: ${toUserMessage(error)}\n`);
        if (ctx.signal.aborted) break;
      } finally {
        rl.off('SIGINT', onSigint);
      }
    }
  } finally {
    rl.close();
  }
};
