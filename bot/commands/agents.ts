import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from './command.js';

export const agents: BotCommand = {
  data: new SlashCommandBuilder().setName('agents').setDescription('List the colleagues').toJSON(),
  async execute(interaction, ctx) {
    const lines = ctx.council.listAgents().map((a) => `\`${a.id}\` ${a.name} · ${a.title}`);
    await interaction.reply({ content: lines.join('\n').slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  },
};
