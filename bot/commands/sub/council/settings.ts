import { MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import { parseSettingText } from '../../../../core/settings/parseSettingText.js';
import { replyModes, settingKeys, toolApprovalModes, type SettingKey, type SettingScope } from '../../../../core/settings/settingsSchema.js';
import type { BotContext } from '../../../context.js';
import { callerOf } from '../../../functions/discord/callerOf.js';
import { noteDiscordError } from '../../../functions/discord/discordErrors.js';
import { placeOf } from '../../../functions/discord/placeOf.js';
import { renderSettings } from '../../../functions/setup/renderSettings.js';
import { valueChoices, type Choice } from '../../../functions/setup/valueChoices.js';
import { mentionChoices } from '../../../functions/setup/mentionChoices.js';

/** The level of the place the command was used in that a scope names; the core decides whether the caller may touch it. */
function levelId(interaction: ChatInputCommandInteraction, scope: SettingScope): string {
  const place = placeOf(interaction.channel);
  const id = { guild: interaction.guildId, category: place.categoryId, channel: place.channelId, thread: place.threadId }[scope];
  if (!id) throw new CouncilError('bad_usage', scope === 'thread' ? 'use this in a thread to change the thread\'s settings' : `this channel is in no ${scope}`);
  return id;
}

const scopeOf = (interaction: ChatInputCommandInteraction): SettingScope => (interaction.options.getString('scope') as SettingScope | null) ?? (interaction.channel?.isThread() ? 'thread' : 'channel');

function keyOf(interaction: ChatInputCommandInteraction): SettingKey {
  const key = interaction.options.getString('key', true);
  const found = settingKeys.find((k) => k.toLowerCase() === key.toLowerCase());
  if (!found) throw new CouncilError('bad_usage', `unknown setting "${key.slice(0, 40)}"; the settings are ${settingKeys.join(', ')}`);
  return found;
}

/**
 * /council settings show|set|reset: what is in force here and where each
 * value comes from, and changes to this thread, channel, its category or the
 * server. Who may change what is decided in core (Manage Channels for a
 * channel or thread, Manage Server for the category or server).
 */
export async function settings(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const caller = callerOf(interaction);
  const action = interaction.options.getSubcommand(true);
  const where = interaction.channel?.isThread() ? 'in this thread' : 'in this channel';
  if (action === 'show') {
    const scope = interaction.options.getString('scope') as SettingScope | null;
    if (scope) {
      const view = await ctx.council.settings.show(scope, levelId(interaction, scope), caller);
      const own = Object.keys(view.own).length > 0 ? `\n-# Set on this ${scope}: ${Object.keys(view.own).join(', ')}` : `\n-# Nothing is set on this ${scope}.`;
      await reply(interaction, renderSettings(view.effective, `at the ${scope} level`, 1900) + own);
      return;
    }
    await reply(interaction, renderSettings(await ctx.council.settings.at(caller), where));
    return;
  }
  const scope = scopeOf(interaction);
  const id = levelId(interaction, scope);
  if (action === 'set') {
    const key = keyOf(interaction);
    // Allowing tools pins them as their servers list them now: starting a server can take more than Discord's 3 s.
    if (key === 'tools') await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await ctx.council.settings.set(scope, id, { [key]: parseSettingText(key, interaction.options.getString('value', true)) }, caller);
    await reply(interaction, `Set **${key}** on this ${scope}.\n${renderSettings(await ctx.council.settings.at(caller), where, 1800)}`);
    return;
  }
  const key = interaction.options.getString('key', true);
  await ctx.council.settings.reset(scope, id, key === 'all' ? [] : [keyOf(interaction)], caller);
  await reply(interaction, `Reset ${key === 'all' ? 'every setting' : `**${key}**`} of this ${scope}: ${key === 'all' ? 'they' : 'it'} now come${key === 'all' ? '' : 's'} from the level above.`);
}

async function reply(interaction: ChatInputCommandInteraction, content: string): Promise<void> {
  if (interaction.deferred) await interaction.editReply({ content: content.slice(0, 2000), allowedMentions: { parse: [] } });
  else await interaction.reply({ content: content.slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** How long suggestions wait on the MCP servers: Discord drops an autocomplete not answered within 3 s. */
const toolNamesMs = 1_500;

/** Keys whose value is a list, where the last item typed is the one completed. */
const listKeys: readonly SettingKey[] = ['colleagues', 'meetingParticipants', 'models', 'tools'];

/**
 * Keys, then values that fit the key: modes, on/off, colleagues, the models
 * the backends have, the tools the process knows, the server's roles and the
 * members the bot has seen. Anything that fails or is
 * late gives fewer choices, never an error: the person can still type.
 */
export async function settingsAutocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  let choices: Choice[] = [];
  try {
    choices = await settingChoices(interaction, ctx);
  } catch (error) {
    ctx.log.warn({ err: (error as Error).message }, 'settings suggestions failed');
  }
  await interaction.respond(choices).catch((error: unknown) => noteDiscordError(ctx.log, 'settings autocomplete', error));
}

async function settingChoices(interaction: AutocompleteInteraction, ctx: BotContext): Promise<Choice[]> {
  const focused = interaction.options.getFocused(true);
  if (focused.name === 'key') return valueChoices(focused.value, interaction.options.getSubcommand(false) === 'reset' ? ['all', ...settingKeys] : settingKeys);
  const key = settingKeys.find((k) => k === interaction.options.getString('key'));
  if (!key) return [];
  const colleagues = ctx.council.agents.ids;
  const suggestions: Partial<Record<SettingKey, () => Promise<readonly string[]> | readonly string[]>> = {
    replyMode: () => replyModes,
    listening: () => ['on', 'off'],
    defaultColleague: () => colleagues,
    colleagues: () => colleagues,
    meetingParticipants: () => colleagues,
    model: () => ctx.council.models.installed(),
    models: async () => {
      const installed = await ctx.council.models.installed();
      return colleagues.flatMap((colleague) => installed.map((model) => `${colleague}=${model}`));
    },
    tools: () => ctx.council.tools.names(toolNamesMs),
    toolApproval: () => toolApprovalModes,
  };
  // Roles from the server's cache; members only as far as the bot has seen them (listing them all needs a privileged intent).
  const guild = interaction.guild;
  if (key === 'allowRoles' || key === 'blockRoles') {
    const roles = guild ? [...guild.roles.cache.values()].filter((role) => role.id !== guild.id && !role.managed).map((role) => ({ id: role.id, name: role.name })) : [];
    return mentionChoices(focused.value, roles, 'role');
  }
  if (key === 'allowUsers' || key === 'blockUsers') {
    const members = guild ? [...guild.members.cache.values()].filter((member) => !member.user.bot).map((member) => ({ id: member.id, name: member.displayName })) : [];
    return mentionChoices(focused.value, members, 'user');
  }
  const values = await suggestions[key]?.();
  return values ? valueChoices(focused.value, values, listKeys.includes(key)) : [];
}
