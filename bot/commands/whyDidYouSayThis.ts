import { ApplicationCommandType, ContextMenuCommandBuilder, MessageFlags } from 'discord.js';
import { callerOf } from '../functions/discord/callerOf.js';
import { whyEmbed } from '../functions/memory/whyEmbed.js';
import type { BotMessageCommand } from './command.js';

/** "Why did you say this?" on a colleague's answer: the memories its prompt held, as far as the asker may see them, only to the asker. */
export const whyDidYouSayThis: BotMessageCommand = {
  data: new ContextMenuCommandBuilder().setName('Why did you say this?').setType(ApplicationCommandType.Message).toJSON(),
  label: 'why_did_you_say_this',
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const why = await ctx.council.memory.why({ externalId: interaction.targetId }, callerOf(interaction));
    await interaction.editReply({ embeds: [whyEmbed(why, ctx.council.agents.find(why.agentId)?.name ?? why.agentId)], allowedMentions: { parse: [] } });
  },
};
