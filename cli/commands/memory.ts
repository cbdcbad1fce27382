import { CouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { confirm } from '../confirm.js';
import { writeJson, type Command, type CommandContext } from '../runtime.js';

const usage = 'usage: council memory list [--agent id] [--json] | council memory clear --agent id|--all [--yes] [--json]';

export const memory: Command = async (ctx) => {
  const [sub] = ctx.args;
  const agent = typeof ctx.flags.agent === 'string' ? ctx.flags.agent : undefined;
  if (sub === 'list') {
    const council = await ctx.council();
    const list = await council.memory.list(agent ? { agentId: agent, limit: 1000 } : { limit: 1000 });
    if (ctx.json) return writeJson(ctx.io, list);
    if (list.length === 0) ctx.io.out.write('no memories stored\n');
    for (const m of list) ctx.io.out.write(`${m.createdAt.toISOString().slice(0, 16)}  ${m.agentId.padEnd(26)} [${m.kind}] ${m.content}\n`);
    return;
  }
  if (sub === 'clear') return clear(ctx, agent);
  throw new CouncilError('bad_usage', usage);
};

/** Deleting is not undoable: it names its target (--agent or --all) and is confirmed at a terminal or with --yes. */
async function clear(ctx: CommandContext, agent: string | undefined): Promise<void> {
  const all = ctx.flags.all === true;
  if (!agent && !all) throw new CouncilError('bad_usage', `say what to clear: --agent <id> for one agent, or --all for every conversation and memory (${usage})`);
  if (agent && all) throw new CouncilError('bad_usage', 'give --agent <id> or --all, not both');
  const confirmed = ctx.flags.yes === true;
  if (!confirmed && !ctx.io.interactive) throw new CouncilError('bad_usage', `this deletes ${agent ? `the history and memories of ${agent}` : 'every conversation and memory'}; add --yes to confirm when not at a terminal`);
  const council = await ctx.council();
  const target = agent ? `every conversation and memory of ${council.agents.get(agent).id}` : 'every conversation and memory of every agent and user';
  if (!confirmed && !(await confirm(ctx.io, `Delete ${target}?`))) return declined(ctx, agent);
  const result = await council.memory.clear(agent ? { agent } : 'all', cliCaller());
  if (ctx.json) return writeJson(ctx.io, { agent: agent ?? null, ...result });
  ctx.io.out.write(`cleared ${result.conversations} conversations and ${result.memories} memories${agent ? ` of ${agent}` : ''}\n`);
}

/** Answering no is the person's choice, not a failure: exit 0, and the output says that nothing was cleared (README, Terminal). */
function declined(ctx: CommandContext, agent: string | undefined): void {
  if (ctx.json) return writeJson(ctx.io, { agent: agent ?? null, declined: true, conversations: 0, memories: 0 });
  ctx.io.out.write('nothing cleared\n');
}
