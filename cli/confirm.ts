import { createInterface } from 'node:readline/promises';
import type { CliIo } from './runtime.js';

/** Asks a yes/no question on the terminal; anything but y/yes (or end of input) is no. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.input, output: io.err, terminal: false });
  try {
    io.err.write(`${question} [y/N] `);
    const answer = await new Promise<string | null>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(null));
    });
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
