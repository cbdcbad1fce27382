import { CouncilError } from '../../core/errors.js';
import type { MemoryView } from '../../core/memory/memoryAccess.js';
import { adminCaller, cliCaller } from '../../core/memory/scope.js';
import { confirm } from '../confirm.js';
import { writeJson, type Command, type CommandContext } from '../runtime.js';

const usage =
  'usage: council memory list [--agent id] [--json] | council memory show|forget <id> [--json] | council memory edit <id> <text> [--json] | council memory why <answer message id> [--json] | council memory clear --agent id|--all [--yes] [--json]';

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
  // The command line runs beside the database: it acts as the operator, who may see and change every memory (audited).
  const [, id, ...words] = ctx.args;
  if ((sub === 'show' || sub === 'forget' || sub === 'edit' || sub === 'why') && !id) throw new CouncilError('bad_usage', `say which: ${usage}`);
  if (sub === 'show') return printMemory(ctx, await (await ctx.council()).memory.show(id!, adminCaller));
  if (sub === 'forget') {
    const gone = await (await ctx.council()).memory.forgetOne(id!, adminCaller);
    if (ctx.json) return writeJson(ctx.io, { forgotten: gone.id });
    ctx.io.out.write(`forgot ${gone.id}: ${gone.content}\n`);
    return;
  }
  if (sub === 'edit') {
    if (words.length === 0) throw new CouncilError('bad_usage', `give the new text: ${usage}`);
    return printMemory(ctx, await (await ctx.council()).memory.edit(id!, words.join(' '), adminCaller));
  }
  if (sub === 'why') {
    const why = await (await ctx.council()).memory.why(id!, adminCaller);
    if (ctx.json) return writeJson(ctx.io, why);
    if (why.memories.length === 0) ctx.io.out.write('this answer used no memories\n');
    for (const m of why.memories) ctx.io.out.write(`${describe(m)}\n`);
    return;
  }
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

function printMemory(ctx: CommandContext, memory: MemoryView): void {
  if (ctx.json) return writeJson(ctx.io, memory);
  ctx.io.out.write(`${describe(memory)}\n`);
}

/** One line: id, kind, the text, who said it, where, when, and whether it still holds. */
function describe(m: MemoryView): string {
  const where = m.placeId ? ` in <#${m.placeId}>` : m.guildId ? ` in server ${m.guildId}` : '';
  const state = m.validTo ? ` (superseded ${m.validTo.toISOString().slice(0, 10)})` : m.expiresAt ? ` (until ${m.expiresAt.toISOString().slice(0, 10)})` : '';
  return `${m.id}  [${m.kind}] ${m.content}  — ${m.ownerId ?? 'unknown'}${where}, ${m.createdAt.toISOString().slice(0, 10)}${m.seenCount > 1 ? `, said ${m.seenCount}x` : ''}${state}`;
}
