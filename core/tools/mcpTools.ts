import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CouncilError } from '../errors.js';
import type { Logger } from '../log.js';
import { exportAtZero, metrics } from '../metrics.js';
import type { McpConfig, McpServerConfig } from './mcpConfig.js';
import { quoteToolOutput } from './quoteToolOutput.js';
import { toolCallOutcomes } from './toolCallRecord.js';
import { toolDefinitionHash } from './toolDefinitionHash.js';

export interface ToolInfo {
  /** `<server>.<tool>`: what policy, audit and metrics name it by. */
  name: string;
  server: string;
  description: string;
  inputSchema: unknown;
  /** sha256 of the definition, the pin an allowance records. */
  hash: string;
}

export interface ServerHealth {
  server: string;
  ok: boolean;
  tools: number;
  problem?: string;
}

export { toolCallOutcomes } from './toolCallRecord.js';

export interface ToolLimits {
  timeoutMs: number;
  maxOutputChars: number;
}

/**
 * The MCP servers of MCP_CONFIG. A server is started (stdio) or connected
 * (streamable HTTP) on first use and kept; one that fails is reported in its
 * health and skipped, never stopping Council. Environment given to a stdio
 * server is only what its config names (plus PATH): no token of Council's is
 * passed through.
 */
export class McpTools {
  private readonly clients = new Map<string, Promise<Client>>();
  private readonly problems = new Map<string, string>();
  /** A server that failed to start is not tried again before this (1 s doubling to 60 s), so a dead one costs a chat nothing. */
  private readonly retryAt = new Map<string, { at: number; waitMs: number }>();
  /** What each server gave when it last listed its tools, for suggestions that cannot wait for a slow server. */
  private readonly listed = new Map<string, ToolInfo[]>();

  constructor(
    private readonly config: McpConfig,
    private readonly log: Logger,
    private readonly limits: ToolLimits = { timeoutMs: 30_000, maxOutputChars: 8_000 },
  ) {}

  get servers(): string[] {
    return Object.keys(this.config.mcpServers);
  }

  /** Every tool of every server that answers (of those named, else all), and each server's health. */
  async list(only?: readonly string[]): Promise<{ tools: ToolInfo[]; health: ServerHealth[] }> {
    const results = await Promise.all(
      this.servers.filter((server) => !only || only.includes(server)).map(async (server): Promise<{ tools: ToolInfo[]; health: ServerHealth }> => {
        try {
          const client = await this.client(server);
          const { tools } = await client.listTools(undefined, { timeout: this.limits.timeoutMs });
          const infos = tools.map((tool) => ({ name: `${server}.${tool.name}`, server, description: tool.description ?? '', inputSchema: tool.inputSchema, hash: toolDefinitionHash(tool) }));
          exportToolSeries(infos.map((info) => info.name));
          this.listed.set(server, infos);
          return { tools: infos, health: { server, ok: true, tools: infos.length } };
        } catch (error) {
          this.listed.delete(server);
          const problem = this.problems.get(server) ?? (error as Error).message.split('\n', 1)[0]!.slice(0, 200);
          return { tools: [], health: { server, ok: false, tools: 0, problem } };
        }
      }),
    );
    return { tools: results.flatMap((result) => result.tools), health: results.map((result) => result.health) };
  }

  /**
   * Tool names to suggest while someone types: what the servers list within
   * `limitMs`, else what they listed last. A server whose start failed is not
   * started again for this; a use that needs it (a chat, `council tools`) does.
   */
  async names(limitMs: number): Promise<string[]> {
    const notFailed = () => this.servers.filter((server) => !this.problems.has(server));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    // A listing still running at the limit carries on and fills `listed` for the next suggestion.
    await Promise.race([this.list(notFailed()), late]).finally(() => clearTimeout(timer));
    // A server that has failed since it last listed (a call could not start it) offers nothing.
    return notFailed().flatMap((server) => this.listed.get(server) ?? []).map((tool) => tool.name);
  }

  /** Calls `<server>.<tool>`; the result comes back quoted as untrusted and capped. Counted by outcome. */
  async call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
    try {
      const result = await this.invoke(name, args, signal);
      metrics.toolCalls.inc({ tool: name, outcome: result.isError ? 'error' : 'ok' });
      return quoteToolOutput(name, result.text, this.limits.maxOutputChars);
    } catch (error) {
      metrics.toolCalls.inc({ tool: name, outcome: toolFailure(error) });
      throw error;
    }
  }

  /** Runs `<server>.<tool>` and returns its text as the server sent it, uncounted: the tool loop counts, caps and quotes. */
  async invoke(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<{ text: string; isError: boolean }> {
    const dot = name.indexOf('.');
    const server = name.slice(0, dot);
    const tool = name.slice(dot + 1);
    if (dot <= 0 || !this.config.mcpServers[server]) throw new CouncilError('bad_usage', `no tool ${name}; tools are named <server>.<tool> (council tools lists them)`, { details: { unknownTool: true } });
    try {
      const client = await this.client(server);
      const result = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: this.limits.timeoutMs, ...(signal ? { signal } : {}) });
      const content = Array.isArray(result.content) ? result.content : [];
      const text = content.map((part: { type: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : `[${part.type} content not shown]`)).join('\n');
      return { text, isError: Boolean(result.isError) };
    } catch (error) {
      throw new CouncilError('bad_usage', `tool ${name} failed: ${(error as Error).message.split('\n', 1)[0]!.slice(0, 200)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((pending) => pending.then((client) => client.close()).catch(() => undefined)));
  }

  private client(server: string): Promise<Client> {
    let pending = this.clients.get(server);
    const backoff = this.retryAt.get(server);
    if (!pending && backoff && performance.now() < backoff.at) {
      return Promise.reject(new CouncilError('bad_config', this.problems.get(server) ?? `MCP server ${server} is not up`));
    }
    if (!pending) {
      pending = this.connect(server, this.config.mcpServers[server]!).catch((error: unknown) => {
        // Not kept: a later use tries again, after the backoff.
        this.clients.delete(server);
        const waitMs = Math.min(60_000, (backoff?.waitMs ?? 500) * 2);
        this.retryAt.set(server, { at: performance.now() + waitMs, waitMs });
        const problem = `MCP server ${server} did not start: ${(error as Error).message.split('\n', 1)[0]!.slice(0, 200)}`;
        this.problems.set(server, problem);
        this.log.warn({ server, err: (error as Error).message }, 'MCP server did not start');
        throw new CouncilError('bad_config', problem, { cause: error });
      });
      this.clients.set(server, pending);
    }
    return pending;
  }

  private async connect(server: string, config: McpServerConfig): Promise<Client> {
    const client = new Client({ name: 'council', version: '1' });
    const transport =
      'command' in config
        ? new StdioClientTransport({ command: config.command, args: config.args, env: { PATH: process.env.PATH ?? '', ...config.env }, stderr: 'ignore' })
        : new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
    await client.connect(transport, { timeout: this.limits.timeoutMs });
    // A server that exits or drops its connection is started again on next use.
    const pending = this.clients.get(server);
    client.onclose = () => {
      if (this.clients.get(server) === pending) this.clients.delete(server);
    };
    this.problems.delete(server);
    this.retryAt.delete(server);
    return client;
  }
}

/** How a call that threw ended, for council_tool_calls_total. */
export function toolFailure(error: unknown): 'unknown_tool' | 'timeout' | 'error' {
  if (error instanceof CouncilError && error.details.unknownTool) return 'unknown_tool';
  return /timed out|timeout/i.test((error as Error).message) ? 'timeout' : 'error';
}

/** Every tool listed has its call counters and its duration series from 0, like every labelled series. */
export function exportToolSeries(tools: readonly string[]): void {
  exportAtZero(metrics.toolCalls, { tool: tools, outcome: toolCallOutcomes });
  for (const tool of tools) metrics.toolCallDuration.zero({ tool });
}
