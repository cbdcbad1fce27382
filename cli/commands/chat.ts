import { createInterface } from 'node:readline';
import { CouncilError, toCouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { readAttachedFiles } from '../readAttachedFiles.js';
import { printReplyStream } from '../renderEvents.js';
import { sessionOf, toolsOf, writeEvent, type Command, type CommandContext } from '../runtime.js';

const chatHelp = `/help   this list
/clear  start a fresh conversation (the earlier one stays stored)
/quit   leave (also /exit, Ctrl-D)
`;

/**
 * A conversation on the terminal, or one reply per line of piped input, in order.
 * The history lives in the database, so `council chat x` later carries on.
 * Exit: 0 when every reply came, 1 (2 for a rejected message) when one failed, 130 on Ctrl-C.
 */
export const chat: Command = async (ctx) => {
  const [agentId] = ctx.args;
  if (!agentId) throw new CouncilError('bad_usage', 'usage: council chat <agent> [--file PATH]... [--tools server.tool,...] [--session S] [--json]');
  const council = await ctx.council();
  const agent = council.agents.get(agentId);
  // The files go with the first message, where the conversation starts from them.
  let attachments = await readAttachedFiles(ctx, council.config.ATTACHMENT_MAX_BYTES);
  let session = sessionOf(ctx);
  const interactive = ctx.io.interactive === true;
  const tty = Boolean((ctx.io.input as NodeJS.ReadStream).isTTY);
  const rl = createInterface({ input: ctx.io.input, output: interactive ? ctx.io.out : undefined, terminal: tty, historySize: 200, crlfDelay: Infinity });
  let turn: AbortController | null = null;
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    rl.close();
  };
  // At a terminal readline owns Ctrl-C: it cancels the reply in flight, or leaves at the prompt.
  rl.on('SIGINT', () => (turn ? turn.abort() : stop()));
  ctx.signal.addEventListener('abort', stop, { once: true });
  const failures: number[] = [];
  if (interactive && !ctx.json) ctx.io.out.write(`Talking with ${agent.name}, ${agent.title} (session ${session}). /help for commands.\n`);
  rl.setPrompt('you> ');
  if (interactive) rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/quit' || line === '/exit') break;
      if (line === '/help') ctx.io.out.write(ctx.json ? '' : chatHelp);
      else if (line === '/clear') {
        session = `${sessionOf(ctx)}~${Date.now().toString(36)}`;
        if (ctx.json) writeEvent(ctx.io, { type: 'session', session });
        else ctx.io.out.write(`fresh conversation (session ${session})\n`);
      } else if (line.startsWith('/')) {
        failures.push(2);
        report(ctx, new CouncilError('bad_usage', `unknown chat command ${line.split(/\s/, 1)[0]}; /help lists them`));
      } else if (line !== '') {
        turn = new AbortController();
        try {
          const files = attachments;
          attachments = [];
          await reply(ctx, council, { agent: agent.id, message: raw, scope: `cli:${session}`, caller: cliCaller(), signal: AbortSignal.any([turn.signal, ctx.signal]), attachments: files, ...toolsOf(ctx) }, interactive ? `${agent.name}> ` : '');
        } catch (error) {
          // Ctrl-C on one reply only drops that reply; the conversation goes on.
          if (turn.signal.aborted && !ctx.signal.aborted) ctx.io.err.write('(reply cancelled)\n');
          else {
            failures.push(toCouncilError(error).exitCode);
            report(ctx, error);
          }
        } finally {
          turn = null;
        }
      }
      if (interrupted) break;
      if (interactive) rl.prompt();
    }
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    rl.close();
  }
  if (interrupted || ctx.signal.aborted) ctx.exitCode = 130;
  else if (failures.length > 0) ctx.exitCode = failures.includes(1) ? 1 : 2;
};

async function reply(ctx: CommandContext, council: Awaited<ReturnType<CommandContext['council']>>, options: Parameters<typeof council.chatStream>[0], prefix: string): Promise<void> {
  const events = council.chatStream(options);
  if (ctx.json) {
    for await (const event of events) writeEvent(ctx.io, event);
    return;
  }
  ctx.io.out.write(prefix);
  await printReplyStream(ctx.io, events);
}

function report(ctx: CommandContext, error: unknown): void {
  const failure = toCouncilError(error);
  if (ctx.json) writeEvent(ctx.io, { type: 'error', code: failure.code, message: failure.message });
  ctx.io.err.write(`council: ${failure.message.replace(/\n\s*/g, '; ')}\n`);
}
