import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../../context.js';
import { callerOf } from '../../../functions/discord/callerOf.js';

/** /memory edit <id> <text>: the person who said it, or a Manage Server member, rewrites it (the core decides, and audits it). */
export async function edit(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const changed = await ctx.council.memory.edit(interaction.options.getString('id', true).trim(), interaction.options.getString('text', true), callerOf(interaction));
  await interaction.reply({ content: `Changed. Council now remembers: “${changed.content.slice(0, 1_800)}”`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
