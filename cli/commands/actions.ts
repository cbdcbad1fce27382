import { CouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { writeJson, type Command } from '../runtime.js';

const usage = 'usage: council actions list [--mine] [--all] [--json] | council actions done <id> [--json]';

/** Action items of meetings: the terminal user sees every item (they hold the data folder or an admin's database). */
export const actions: Command = async (ctx) => {
  const [sub, ref] = ctx.args;
  const council = await ctx.council();
  const me = cliCaller().ownerId;
  switch (sub ?? 'list') {
    case 'list': {
      const items = await council.meetings.listActions({ status: ctx.flags.all ? 'all' : 'open', ...(ctx.flags.mine ? { owner: me } : {}) }, cliCaller());
      if (ctx.json) return writeJson(ctx.io, items);
      if (items.length === 0) ctx.io.out.write(ctx.flags.all ? 'no action items\n' : 'no open action items\n');
      for (const item of items) {
        const owner = item.ownerName ?? item.owner;
        ctx.io.out.write(`${item.id.slice(0, 8)}  ${item.status.padEnd(4)}  ${owner.padEnd(24)} ${item.task}${item.due ? ` (due ${item.due})` : ''}  [${item.meetingTitle}]\n`);
      }
      return;
    }
    case 'done': {
      if (!ref) throw new CouncilError('bad_usage', 'usage: council actions done <id> (the first 8 characters are enough)');
      const item = await council.meetings.markActionDone(ref, cliCaller());
      if (ctx.json) return writeJson(ctx.io, item);
      ctx.io.out.write(`done: ${item.task}\n`);
      return;
    }
    default:
      throw new CouncilError('bad_usage', usage);
  }
};
