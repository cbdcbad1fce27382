import { SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from './command.js';
import { done } from './sub/actions/done.js';
import { list } from './sub/actions/list.js';

const subcommands = { list, done };

export const actions: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('actions')
    .setDescription('Action items from meetings in this server')
    .addSubcommand((s) => s.setName('list').setDescription('Open action items').addBooleanOption((o) => o.setName('mine').setDescription('Only the ones you own')))
    .addSubcommand((s) => s.setName('done').setDescription('Mark an action item done').addStringOption((o) => o.setName('id').setDescription('The item id (the first 8 characters are enough)').setRequired(true).setMinLength(8).setMaxLength(36)))
    .toJSON(),
  async execute(interaction, ctx) {
    await subcommands[interaction.options.getSubcommand(true) as keyof typeof subcommands](interaction, ctx);
  },
};
