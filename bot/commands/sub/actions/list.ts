import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { renderActionItems } from '../../../functions/actions/renderActionItems.js';
import { callerOf } from '../../../functions/discord/callerOf.js';

/** Open action items of this server's meetings; `mine` keeps those the caller owns. */
export async function list(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.guildId) throw new CouncilError('bad_usage', 'use /actions in a server');
  const mine = interaction.options.getBoolean('mine') ?? false;
  const items = await ctx.council.meetings.listActions({ ...(mine ? { owner: `discord:${interaction.user.id}` } : {}), limit: 50 }, callerOf(interaction));
  await interaction.reply({ content: renderActionItems(items, (id) => ctx.council.agents.find(id)?.name ?? id), allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}
