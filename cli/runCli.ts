import { closeMatches } from '../core/closeMatches.js';
import { CouncilError, toCouncilError } from '../core/errors.js';
import { commands } from './commands/index.js';
import { helpText } from './help.js';
import { parseCommandLine } from './parseCommandLine.js';
import { councilOpener, type CliIo } from './runtime.js';

/**
 * Runs one CLI invocation and returns its exit code. Every failure becomes one
 * line on stderr: never a stack trace.
 */
export async function runCli(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const opener = councilOpener(io);
  try {
    const { positionals, flags } = parseCommandLine(argv);
    const [name, ...args] = positionals;
    if (!name || flags.help) {
      io.out.write(helpText);
      return name || flags.help ? 0 : 2;
    }
    const command = commands[name];
    if (!command) {
      const suggestions = closeMatches(name, Object.keys(commands));
      throw new CouncilError('bad_usage', `unknown command "${name}"${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''} (run \`council --help\`)`);
    }
    await command({ args, flags, json: flags.json === true, io, signal, council: opener.open });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const failure = toCouncilError(error);
    io.err.write(`council: ${failure.message.replace(/\n\s*/g, '; ')}\n`);
    return failure.exitCode;
  } finally {
    await opener.close().catch(() => {});
  }
}
