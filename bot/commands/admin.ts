import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { AuditLog } from '../../core/auth/auditLog.js';
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
    const result = await ctx.council.clearGuildMemories(interaction.guildId ?? '');
    await new AuditLog(ctx.council.ctx.database.db, ctx.log).record({ actor: `discord:${interaction.user.id}`, action: 'memories.clear', target: `guild:${interaction.guildId}`, rows: result.conversations + result.memories, detail: result });
    await interaction.editReply(`Cleared ${result.conversations} conversations and ${result.memories} memories.`);
  },
};
