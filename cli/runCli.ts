import { closeMatches } from '../core/closeMatches.js';
import { failureLines } from '../core/config/failureLines.js';
import { CouncilError, toCouncilError } from '../core/errors.js';
import { commands, needsDatabase } from './commands/index.js';
import { helpText } from './help.js';
import { parseCommandLine } from './parseCommandLine.js';
import { councilOpener, type CliIo, type CommandContext, type CouncilSource } from './runtime.js';
import { councilVersion } from './version.js';

export interface RunCliOptions {
  /** Set by a running server that executes a forwarded command on its own open Council. */
  source?: CouncilSource;
}

/**
 * Runs one CLI invocation and returns its exit code. Every failure becomes one
 * line on stderr (one per bad setting): never a stack trace. When the embedded
 * database is held by a running server, the command runs in that server instead.
 */
export async function runCli(argv: string[], io: CliIo, signal: AbortSignal, options: RunCliOptions = {}): Promise<number> {
  let source = options.source;
  const opened = !options.source;
  try {
    const { positionals, flags } = parseCommandLine(argv);
    if (flags.version) {
      io.out.write(`${councilVersion()}\n`);
      return 0;
    }
    const [name, ...args] = positionals;
    if (!name || flags.help || name === 'help') {
      // Asked-for help is output; help instead of a missing command is a usage error.
      const asked = Boolean(name) || flags.help === true;
      (asked ? io.out : io.err).write(helpText);
      return asked ? 0 : 2;
    }
    const load = commands[name];
    if (!load) {
      const suggestions = closeMatches(name, Object.keys(commands));
      throw new CouncilError('bad_usage', `unknown command "${name}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''} (run \`council --help\`)`);
    }
    if (!source && !needsDatabase(name, args)) source = councilOpener(io);
    if (!source) {
      const { loadConfig } = await import('../core/config/loadConfig.js');
      const config = loadConfig(io.env);
      if (!config.DATABASE_URL) {
        const { findLocalEndpoint } = await import('../core/db/localEndpoint.js');
        const server = findLocalEndpoint(config.DATA_DIR);
        if (server) {
          const { forwardCommand } = await import('./forward/forwardCommand.js');
          return await forwardCommand(server, argv, io, signal);
        }
      }
      source = councilOpener(io, config);
    }
    const command = await load(args);
    const shared = source;
    const ctx: CommandContext = {
      args,
      flags,
      json: flags.json === true,
      io,
      signal,
      exitCode: 0,
      agents: () => shared.agents(),
      council: () => shared.council(),
    };
    await command(ctx);
    return ctx.exitCode;
  } catch (error) {
    const failure = toCouncilError(error);
    // A terminal has no server log to point at: the person running the command sees the cause's first line.
    const lines = failure.code === 'internal' && failure.cause instanceof Error ? [`unexpected error: ${failure.cause.message.split('\n', 1)[0]}`] : failureLines(failure);
    for (const line of lines) io.err.write(`council: ${line}\n`);
    return failure.exitCode;
  } finally {
    if (opened) await source?.close().catch(() => {});
  }
}
