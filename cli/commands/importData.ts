import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CouncilError } from '../../core/errors.js';
import { writeJson, type Command } from '../runtime.js';

export const importCommand: Command = async (ctx) => {
  const [file] = ctx.args;
  if (!file) throw new CouncilError('bad_usage', 'usage: council import <file.ndjson> [--json]');
  const text = await readFile(resolve(ctx.io.cwd ?? process.cwd(), file), 'utf8').catch(() => {
    throw new CouncilError('bad_usage', `cannot read ${file}; give the path of a file made by \`council export\``);
  });
  const council = await ctx.council();
  const result = await council.importNdjson(text);
  if (ctx.json) return writeJson(ctx.io, result);
  ctx.io.out.write(
    `imported ${result.conversations} conversations, ${result.messages} messages, ${result.memories} memories, ${result.meetings} meetings ` +
      `(${result.meetingTurns} turns, ${result.decisions} decisions, ${result.actionItems} action items) (${result.skipped} already present)\n`,
  );
};
