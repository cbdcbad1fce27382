import { ApiKeyStore } from '../../core/auth/apiKeys.js';
import { AuditLog } from '../../core/auth/auditLog.js';
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
  const store = new ApiKeyStore(council.ctx.database.db);
  if (sub === 'create') {
    const created = await store.create(target as string);
    if (ctx.json) return writeJson(ctx.io, created);
    ctx.io.out.write(`${created.key}\n`);
    ctx.io.err.write(`API key "${created.name}" (${created.id}) created; it is shown only this once. Send it as Authorization: Bearer <key>.\n`);
    return;
  }
  if (sub === 'list') {
    const list = await store.list();
    if (ctx.json) return writeJson(ctx.io, list);
    if (list.length === 0) ctx.io.out.write('no API keys; create one with: council keys create <name>\n');
    for (const key of list) {
      const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString().slice(0, 16)}` : key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString().slice(0, 16)}` : 'never used';
      ctx.io.out.write(`${key.id}  ${key.name.padEnd(24)} ${key.prefix}…  ${state}\n`);
    }
    return;
  }
  const revoked = await store.revoke(target as string);
  await new AuditLog(council.ctx.database.db, council.ctx.log).record({ actor: cliCaller().ownerId, action: 'key.revoke', target: `key:${revoked.id}`, rows: 1, detail: { name: revoked.name } });
  if (ctx.json) return writeJson(ctx.io, revoked);
  ctx.io.out.write(`revoked API key "${revoked.name}" (${revoked.id})\n`);
};
