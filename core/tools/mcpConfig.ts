import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CouncilError } from '../errors.js';

const serverName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, { message: 'a server name is letters, digits, - and _ (it prefixes its tools: <server>.<tool>)' });
const stdioServer = z.strictObject({ command: z.string().min(1), args: z.array(z.string()).default([]), env: z.record(z.string(), z.string()).default({}) });
const httpServer = z.strictObject({ url: z.url(), headers: z.record(z.string(), z.string()).default({}) });

/** MCP_CONFIG: the `mcpServers` file other MCP clients read (Claude Desktop, Cursor), stdio or streamable HTTP. */
export const mcpConfigSchema = z.object({ mcpServers: z.record(serverName, z.union([stdioServer, httpServer])) });
export type McpConfig = z.infer<typeof mcpConfigSchema>;
export type McpServerConfig = McpConfig['mcpServers'][string];

export async function loadMcpConfig(path: string): Promise<McpConfig> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CouncilError('bad_config', `MCP_CONFIG: cannot read ${path} (${error.code ?? error.message}); point it at a JSON file like {"mcpServers": {"name": {"command": "...", "args": []}}}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CouncilError('bad_config', `MCP_CONFIG: ${path} is not JSON (${(error as Error).message.slice(0, 100)})`);
  }
  const parsed = mcpConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CouncilError('bad_config', `MCP_CONFIG: ${path}: ${issue?.path.join('.') || 'file'} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}
