import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { callerOf } from '../functions/discord/callerOf.js';
import { CouncilError } from '../../core/errors.js';
import type { BotCommand } from './command.js';

export const admin: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('admin')
    .setDescription('Council administration')
    .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
    .addSubcommand((s) => s.setName('clear-memories').setDescription("Clear every colleague's history and memories in this server"))
    .toJSON(),
  async execute(interaction, ctx) {
    // default_member_permissions only hides the command; server admins can re-grant it, so check again here.
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)) throw new CouncilError('unauthorized', 'only server administrators can clear memories');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await ctx.council.memory.clear({ guild: interaction.guildId ?? '' }, callerOf(interaction));
    await interaction.editReply(`Cleared ${result.conversations} conversations and ${result.memories} memories.`);
  },
};
