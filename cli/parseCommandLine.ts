import { parseArgs } from 'node:util';
import { CouncilError } from '../core/errors.js';

const options = {
  json: { type: 'boolean' },
  session: { type: 'string' },
  agents: { type: 'string' },
  agent: { type: 'string' },
  title: { type: 'string' },
  topic: { type: 'string', multiple: true },
  participants: { type: 'string' },
  model: { type: 'string', multiple: true },
  independent: { type: 'boolean' },
  'no-independent': { type: 'boolean' },
  description: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  yes: { type: 'boolean', short: 'y' },
  all: { type: 'boolean' },
  'no-input': { type: 'boolean' },
  mine: { type: 'boolean' },
  file: { type: 'string', multiple: true },
  tools: { type: 'string' },
  guild: { type: 'string' },
  category: { type: 'string' },
  channel: { type: 'string' },
} as const;

/** Splits argv into positionals and the flags every command shares; unknown flags are usage errors. */
export function parseCommandLine(argv: string[]) {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { positionals, flags: values as Record<string, string | boolean | string[] | undefined> };
  } catch (error) {
    throw new CouncilError('bad_usage', `${(error as Error).message.split('\n', 1)[0]} (run \`council --help\`)`);
  }
}
