import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from './command.js';
import { doctor } from './sub/council/doctor.js';

export const council: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('council')
    .setDescription('Council setup')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) => s.setName('doctor').setDescription('List, per channel, the permissions I lack'))
    .toJSON(),
  async execute(interaction, ctx) {
    await doctor(interaction, ctx);
  },
};
