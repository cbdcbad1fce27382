import type { AgentRegistry } from '../core/agents/agentRegistry.js';
import type { Config } from '../core/config/index.js';
import { rolesSettings } from '../core/config/rolesSettings.js';
import type { Council } from '../core/council.js';

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  input: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Where relative paths given on the command line are resolved (the caller's folder, also when forwarded to a server). */
  cwd?: string;
  /** A person at a terminal types the input (prompts, confirmations); otherwise input is piped. */
  interactive?: boolean;
}

/** What a command gets: parsed flags, positionals, I/O, and lazily opened parts of Council. */
export interface CommandContext {
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  io: CliIo;
  signal: AbortSignal;
  /** The command's exit code when it ends without throwing; a command sets 1 for a failure it has already reported. */
  exitCode: number;
  /** The personas alone, without opening the database. */
  agents(): Promise<AgentRegistry>;
  council(): Promise<Council>;
}

export type Command = (ctx: CommandContext) => Promise<void>;

/** The parts of Council a CLI run opens on first use; the server passes its own open Council instead. */
export interface CouncilSource {
  agents(): Promise<AgentRegistry>;
  council(): Promise<Council>;
  close(): Promise<void>;
}

/**
 * Opens Council once per CLI run, importing the heavy core only then; logs go to
 * stderr so stdout stays clean for --json. Without a loaded config, the full
 * settings are validated on first use: listing the personas reads only theirs.
 */
export function councilOpener(io: CliIo, loadedConfig?: Config): CouncilSource {
  let opened: Promise<Council> | undefined;
  let registry: Promise<AgentRegistry> | undefined;
  return {
    agents() {
      registry ??= opened
        ? opened.then((council) => council.agents)
        : import('../core/agents/loadAgentRegistry.js').then(({ loadAgentRegistry }) => loadAgentRegistry(loadedConfig ?? rolesSettings(io.env)));
      return registry;
    },
    council() {
      opened ??= (async () => {
        const settings = loadedConfig ?? (await import('../core/config/loadConfig.js')).loadConfig(io.env);
        const [{ Council }, { createLogger }] = await Promise.all([import('../core/council.js'), import('../core/log.js')]);
        const log = createLogger(io.env.LOG_LEVEL ?? 'error', io.err);
        return Council.open({ config: settings, log });
      })();
      return opened;
    },
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}

/** A running server's own Council: commands use it as is and never close it. */
export function sharedCouncil(council: Council): CouncilSource {
  return {
    agents: async () => council.agents,
    council: async () => council,
    close: async () => {},
  };
}

export function writeJson(io: CliIo, value: unknown): void {
  io.out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One NDJSON event per line, for streams (chat, demo) under --json. */
export function writeEvent(io: CliIo, value: unknown): void {
  io.out.write(`${JSON.stringify(value)}\n`);
}

/** `--tools server.tool,...`: the tools the terminal user allows for this run or meeting (none when absent). */
export function toolsOf(ctx: CommandContext): { tools?: string[] } {
  const given = typeof ctx.flags.tools === 'string' ? ctx.flags.tools.split(',').map((name) => name.trim()).filter(Boolean) : [];
  return given.length > 0 ? { tools: given } : {};
}

/** The conversation a command continues: `ask`, `consult` and `chat` share one default, so they share history. */
export function sessionOf(ctx: CommandContext): string {
  return typeof ctx.flags.session === 'string' && ctx.flags.session.trim() ? ctx.flags.session.trim() : 'default';
}
