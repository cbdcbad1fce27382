import { writeJson, type Command } from '../runtime.js';

/** Reads roles/ only: listing the personas never opens the database. */
export const agents: Command = async (ctx) => {
  const list = (await ctx.agents()).summaries().map(({ avatar: _avatar, ...agent }) => agent);
  if (ctx.json) return writeJson(ctx.io, list);
  for (const category of ['developer', 'manager', 'architect', 'specialist'] as const) {
    ctx.io.out.write(`\n${category}s\n`);
    for (const agent of list.filter((a) => a.category === category)) {
      ctx.io.out.write(`  ${agent.id.padEnd(26)} ${agent.name} · ${agent.title}\n`);
    }
  }
};
