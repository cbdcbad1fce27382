import type { ButtonInteraction } from 'discord.js';
import type { BotContext } from '../../context.js';
import { callerOf } from '../discord/callerOf.js';
import { memoryPage, memoryPageSize } from './memoryPage.js';

/** Previous / Next under /memory list: the page is read again for whoever clicks (the core decides what they see) and replaces the one shown. */
export async function onMemoryPageButton(interaction: ButtonInteraction, ctx: BotContext, wanted: { of: 'me' | 'channel'; page: number }): Promise<void> {
  const page = await ctx.council.memory.listPage(callerOf(interaction), { of: wanted.of, page: wanted.page, pageSize: memoryPageSize });
  await interaction.update({ ...memoryPage({ of: wanted.of, ...page }), allowedMentions: { parse: [] } });
}
