import { toNdjsonLine } from '../../core/backup/exportData.js';
import type { Command } from '../runtime.js';

export const exportCommand: Command = async (ctx) => {
  const council = await ctx.council();
  let count = 0;
  for await (const record of council.exportData()) {
    if (!ctx.io.out.write(toNdjsonLine(record))) await new Promise((resolve) => ctx.io.out.once('drain', resolve));
    count++;
  }
  ctx.io.err.write(`exported ${count} records\n`);
};
