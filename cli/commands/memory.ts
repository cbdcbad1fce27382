import { CouncilError } from '../../core/errors.js';
import { writeJson, type Command } from '../runtime.js';

export const memory: Command = async (ctx) => {
  const [sub] = ctx.args;
  const agent = typeof ctx.flags.agent === 'string' ? ctx.flags.agent : undefined;
  const council = await ctx.council();
  if (sub === 'list') {
    const list = await council.listMemories(agent ? { agentId: agent, limit: 1000 } : { limit: 1000 });
    if (ctx.json) return writeJson(ctx.io, list);
    if (list.length === 0) ctx.io.out.write('no memories stored\n');
    for (const m of list) ctx.io.out.write(`${m.createdAt.toISOString().slice(0, 16)}  ${m.agentId.padEnd(26)} [${m.kind}] ${m.content}\n`);
    return;
  }
  if (sub === 'clear') {
    const result = agent ? await council.clearAgentMemories(agent) : await council.clearAllMemories();
    if (ctx.json) return writeJson(ctx.io, { agent: agent ?? null, ...result });
    ctx.io.out.write(`cleared ${result.conversations} conversations and ${result.memories} memories${agent ? ` of ${agent}` : ''}\n`);
    return;
  }
  throw new CouncilError('bad_usage', 'usage: council memory list|clear [--agent id] [--json]');
};
