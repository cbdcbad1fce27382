import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../../context.js';
import { callerOf } from '../../../functions/discord/callerOf.js';
import { forgetSummary } from '../../../functions/replies/forgetSummary.js';

/** /memory forget <id>: one memory (its speaker or a Manage Server member); `all`: everything Council keeps about the caller. */
export async function forget(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const id = interaction.options.getString('id', true).trim();
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  if (id.toLowerCase() === 'all') {
    await interaction.editReply(forgetSummary(await ctx.council.memory.forget(interaction.user.id, callerOf(interaction))));
    return;
  }
  const gone = await ctx.council.memory.forgetOne(id, callerOf(interaction));
  await interaction.editReply({ content: `Forgotten: “${gone.content.slice(0, 1_800)}”`, allowedMentions: { parse: [] } });
}
