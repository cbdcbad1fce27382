import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../../context.js';
import { callerOf } from '../../../functions/discord/callerOf.js';
import { memoryPage, memoryPageSize, type MemoryListOf } from '../../../functions/memory/memoryPage.js';

/** /memory list [of] [page]: what is kept of what the caller said here, or for this channel; paged, only to them. */
export async function list(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const of = (interaction.options.getString('of') ?? 'me') as MemoryListOf;
  const page = await ctx.council.memory.listPage(callerOf(interaction), { of, page: interaction.options.getInteger('page') ?? 1, pageSize: memoryPageSize });
  await interaction.reply({ ...memoryPage({ of, ...page }), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
