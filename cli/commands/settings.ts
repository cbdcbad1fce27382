import { CouncilError } from '../../core/errors.js';
import { cliCaller } from '../../core/memory/scope.js';
import { parseSettingText } from '../../core/settings/parseSettingText.js';
import type { PlaceRef, PlaceSettingsView } from '../../core/settings/settingsService.js';
import { settingKeys, type SettingKey, type SettingScope } from '../../core/settings/settingsSchema.js';
import { writeJson, type CommandContext, type Command } from '../runtime.js';

const usage = 'usage: council settings show <scope> <id> | set <scope> <id> <key> <value...> | reset <scope> <id> <key...>|--all [--guild G] [--category C] [--channel C] [--json]; scope is guild, category, channel or thread';

function parentsOf(ctx: CommandContext): PlaceRef {
  const flag = (name: string) => (typeof ctx.flags[name] === 'string' ? (ctx.flags[name] as string) : undefined);
  const [guild, category, channel] = [flag('guild'), flag('category'), flag('channel')];
  return { ...(guild ? { guild } : {}), ...(category ? { category } : {}), ...(channel ? { channel } : {}) };
}

function print(ctx: CommandContext, view: PlaceSettingsView): void {
  ctx.io.out.write(`${view.scope} ${view.id}${view.guildId && view.scope !== 'guild' ? ` (server ${view.guildId})` : ''}\n`);
  const own = Object.keys(view.own);
  ctx.io.out.write(own.length > 0 ? `set here: ${own.join(', ')}\n` : 'nothing set here\n');
  for (const key of settingKeys) {
    ctx.io.out.write(`  ${key.padEnd(20)} ${JSON.stringify(view.effective.values[key])}  (${view.effective.sources[key].join(' + ')})\n`);
  }
}

/** Settings per place from the terminal, as the operator: what a place sets, what is in force there, and changes (audited). */
export const settings: Command = async (ctx) => {
  const [sub, scope, id, ...rest] = ctx.args;
  if ((sub !== 'show' && sub !== 'set' && sub !== 'reset') || !scope || !id) throw new CouncilError('bad_usage', usage);
  const council = await ctx.council();
  const parents = parentsOf(ctx);
  let view: PlaceSettingsView;
  if (sub === 'show') {
    view = await council.settings.show(scope as SettingScope, id, cliCaller(), parents);
  } else if (sub === 'set') {
    const [key, ...words] = rest;
    const known = settingKeys.find((k) => k.toLowerCase() === key?.toLowerCase());
    if (!key || words.length === 0) throw new CouncilError('bad_usage', usage);
    const value = words.join(' ');
    // A known key's value is read as typed (lists, on/off, colleague=model); an unknown key is refused by the core, naming the settings.
    view = await council.settings.set(scope as SettingScope, id, { [known ?? key]: known ? parseSettingText(known as SettingKey, value) : value }, cliCaller(), parents);
  } else {
    if (rest.length === 0 && ctx.flags.all !== true) throw new CouncilError('bad_usage', 'name the settings to reset, or --all');
    view = await council.settings.reset(scope as SettingScope, id, ctx.flags.all === true ? [] : rest, cliCaller(), parents);
  }
  if (ctx.json) return writeJson(ctx.io, view);
  print(ctx, view);
};
