import { loadConfig } from '../../core/config/loadConfig.js';
import { createLogger } from '../../core/log.js';
import { builtinToolInfos } from '../../core/tools/builtinTools.js';
import { loadMcpConfig } from '../../core/tools/mcpConfig.js';
import { McpTools, type ServerHealth, type ToolInfo } from '../../core/tools/mcpTools.js';
import { writeJson, type Command } from '../runtime.js';

/** The built-in tools and those of the MCP servers in MCP_CONFIG, each server started for the listing and stopped after; no database. */
export const tools: Command = async (ctx) => {
  const config = loadConfig(ctx.io.env);
  const mcp = config.MCP_CONFIG ? new McpTools(await loadMcpConfig(config.MCP_CONFIG), createLogger('silent')) : null;
  try {
    const listed: { tools: ToolInfo[]; health: ServerHealth[] } = mcp ? await mcp.list() : { tools: [], health: [] };
    if (listed.health.some((server) => !server.ok)) ctx.exitCode = 1;
    const all = [...builtinToolInfos, ...listed.tools];
    if (ctx.json) return writeJson(ctx.io, { tools: all.map(({ name, server, description, hash }) => ({ name, server, description, hash })), servers: listed.health });
    ctx.io.out.write(`\ncouncil (built in, read-only)\n`);
    for (const tool of builtinToolInfos) ctx.io.out.write(`  ${tool.name.padEnd(32)} ${tool.description}\n`);
    if (!mcp) ctx.io.out.write('\nNo MCP servers: MCP_CONFIG is not set (see docs/tools.md).\n');
    for (const server of listed.health) {
      ctx.io.out.write(server.ok ? `\n${server.server} (${server.tools} tools)\n` : `\n${server.server}: ${server.problem}\n`);
      for (const tool of listed.tools.filter((t) => t.server === server.server)) ctx.io.out.write(`  ${tool.name.padEnd(32)} ${tool.description.split('\n', 1)[0]!.slice(0, 80)}\n`);
    }
    ctx.io.out.write('\nNothing is allowed by default: allow a tool for one run with --tools, in a Discord place with /council settings set tools, for an API key with PATCH /admin/keys/{id}.\n');
  } finally {
    await mcp?.close();
  }
};
