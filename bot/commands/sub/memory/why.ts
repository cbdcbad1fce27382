import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { callerInLinkedChannel } from '../../../functions/discord/callerInLinkedChannel.js';
import { parseMessageLink } from '../../../functions/memory/parseMessageLink.js';
import { whyEmbed } from '../../../functions/memory/whyEmbed.js';

/** /memory why <message link>: the same answer as the message's "Why did you say this?" menu. */
export async function why(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const link = parseMessageLink(interaction.options.getString('link', true));
  if (!link) throw new CouncilError('bad_usage', "give a message link: on the colleague's answer, More (…) → Copy Message Link");
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const answer = await ctx.council.memory.why({ externalId: link.messageId }, await callerInLinkedChannel(interaction, link));
  await interaction.editReply({ embeds: [whyEmbed(answer, ctx.council.agents.find(answer.agentId)?.name ?? answer.agentId)], allowedMentions: { parse: [] } });
}
