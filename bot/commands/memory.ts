import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { forgetSummary } from '../functions/replies/forgetSummary.js';
import type { BotCommand } from './command.js';
import { callerOf } from '../functions/discord/callerOf.js';

export const memory: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('memory')
    .setDescription('What Council remembers about you')
    .addSubcommand((s) => s.setName('forget').setDescription('Delete everything Council keeps about you'))
    .toJSON(),
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await ctx.council.memory.forget(interaction.user.id, callerOf(interaction));
    await interaction.editReply(forgetSummary(result));
  },
};
