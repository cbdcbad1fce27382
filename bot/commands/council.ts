import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { settingKeys } from '../../core/settings/settingsSchema.js';
import type { BotCommand } from './command.js';
import { doctor } from './sub/council/doctor.js';
import { settings, settingsAutocomplete } from './sub/council/settings.js';
import { tools } from './sub/council/tools.js';

const scopes = [
  { name: 'thread', value: 'thread' },
  { name: 'channel', value: 'channel' },
  { name: 'category', value: 'category' },
  { name: 'server', value: 'guild' },
];

export const council: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('council')
    .setDescription('Council setup')
    // Shown to channel managers too: they may change their channels' settings (the core checks each use).
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels)
    .addSubcommand((s) => s.setName('doctor').setDescription('List, per channel, the permissions I lack'))
    .addSubcommand((s) => s.setName('tools').setDescription('The tools colleagues may call, which are allowed here, and each tool server\'s health'))
    .addSubcommandGroup((g) =>
      g
        .setName('settings')
        .setDescription('How Council behaves here: who may use it, which colleagues and models, how they reply')
        .addSubcommand((s) =>
          s
            .setName('show')
            .setDescription('The settings in force here, and where each comes from')
            .addStringOption((o) => o.setName('scope').setDescription('Show one level instead: thread, channel, category or server').addChoices(...scopes)),
        )
        .addSubcommand((s) =>
          s
            .setName('set')
            .setDescription('Set one setting here (Manage Channels) or for the category or server (Manage Server)')
            .addStringOption((o) => o.setName('key').setDescription(`One of ${settingKeys.length} settings, e.g. replyMode`).setRequired(true).setAutocomplete(true))
            .addStringOption((o) => o.setName('value').setDescription('e.g. ambient, on, cto,qa_engineer, qwen3:14b, @role').setRequired(true).setAutocomplete(true).setMaxLength(1000))
            .addStringOption((o) => o.setName('scope').setDescription('Where (default: this thread or channel)').addChoices(...scopes)),
        )
        .addSubcommand((s) =>
          s
            .setName('reset')
            .setDescription('Clear one setting (or all) here: it comes from the level above again')
            .addStringOption((o) => o.setName('key').setDescription('The setting, or all').setRequired(true).setAutocomplete(true))
            .addStringOption((o) => o.setName('scope').setDescription('Where (default: this thread or channel)').addChoices(...scopes)),
        ),
    )
    .toJSON(),
  async execute(interaction, ctx) {
    if (interaction.options.getSubcommandGroup(false) === 'settings') await settings(interaction, ctx);
    else if (interaction.options.getSubcommand() === 'tools') await tools(interaction, ctx);
    else await doctor(interaction, ctx);
  },
  async autocomplete(interaction, ctx) {
    await settingsAutocomplete(interaction, ctx);
  },
};
