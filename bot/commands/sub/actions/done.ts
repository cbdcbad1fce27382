import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { callerOf } from '../../../functions/discord/callerOf.js';

/** Marks an item of this server's meetings done, recording who did. */
export async function done(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.guildId) throw new CouncilError('bad_usage', 'use /actions in a server');
  const item = await ctx.council.meetings.markActionDone(interaction.options.getString('id', true), callerOf(interaction));
  await interaction.reply({ content: `Done: ${item.task}`.slice(0, 2000), allowedMentions: { parse: [] } });
}
