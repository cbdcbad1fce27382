import { loadConfig } from '../../core/config/loadConfig.js';
import { createLogger } from '../../core/log.js';
import { loadMcpConfig } from '../../core/tools/mcpConfig.js';
import { McpTools } from '../../core/tools/mcpTools.js';
import { writeJson, type Command } from '../runtime.js';

/** The tools of the MCP servers in MCP_CONFIG, each server started for the listing and stopped after; no database. */
export const tools: Command = async (ctx) => {
  const config = loadConfig(ctx.io.env);
  if (!config.MCP_CONFIG) {
    if (ctx.json) return writeJson(ctx.io, { tools: [], servers: [] });
    ctx.io.out.write('No tools: MCP_CONFIG is not set (see docs/tools.md).\n');
    return;
  }
  const mcp = new McpTools(await loadMcpConfig(config.MCP_CONFIG), createLogger('silent'));
  try {
    const { tools: list, health } = await mcp.list();
    if (health.some((server) => !server.ok)) ctx.exitCode = 1;
    if (ctx.json) return writeJson(ctx.io, { tools: list.map(({ name, server, description, hash }) => ({ name, server, description, hash })), servers: health });
    for (const server of health) {
      ctx.io.out.write(server.ok ? `\n${server.server} (${server.tools} tools)\n` : `\n${server.server}: ${server.problem}\n`);
      for (const tool of list.filter((t) => t.server === server.server)) ctx.io.out.write(`  ${tool.name.padEnd(32)} ${tool.description.split('\n', 1)[0]!.slice(0, 80)}\n`);
    }
  } finally {
    await mcp.close();
  }
};
