import { CouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { writeJson, type Command } from '../runtime.js';

const usage = 'usage: council keys create <name> | list | revoke <id|name> [--json]';

/** API keys for /v1: the key is printed once at creation and only its hash is stored. */
export const keys: Command = async (ctx) => {
  const [sub, target] = ctx.args;
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new CouncilError('bad_usage', usage);
  if (sub !== 'list' && !target) throw new CouncilError('bad_usage', usage);
  const council = await ctx.council();
  if (sub === 'create') {
    const created = await council.keys.create(target as string, cliCaller());
    if (ctx.json) return writeJson(ctx.io, created);
    ctx.io.out.write(`${created.key}\n`);
    ctx.io.err.write(`API key "${created.name}" (${created.id}) created; it is shown only this once. Send it as Authorization: Bearer <key>.\n`);
    return;
  }
  if (sub === 'list') {
    const list = await council.keys.list();
    if (ctx.json) return writeJson(ctx.io, list);
    if (list.length === 0) ctx.io.out.write('no API keys; create one with: council keys create <name>\n');
    for (const key of list) {
      const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString().slice(0, 16)}` : key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString().slice(0, 16)}` : 'never used';
      ctx.io.out.write(`${key.id}  ${key.name.padEnd(24)} ${key.prefix}…  ${state}\n`);
    }
    return;
  }
  const revoked = await council.keys.revoke(target as string, cliCaller());
  if (ctx.json) return writeJson(ctx.io, revoked);
  ctx.io.out.write(`revoked API key "${revoked.name}" (${revoked.id})\n`);
};
