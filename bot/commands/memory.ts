import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { forgetSummary } from '../functions/replies/forgetSummary.js';
import type { BotCommand } from './command.js';

export const memory: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('memory')
    .setDescription('What Council remembers about you')
    .addSubcommand((s) => s.setName('forget').setDescription('Delete everything Council keeps about you'))
    .toJSON(),
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await ctx.council.forgetUser(interaction.user.id);
    await interaction.editReply(forgetSummary(result));
  },
};
