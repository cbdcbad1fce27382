import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { resumeFromDiscord } from '../../../functions/meetings/pauseOrResume.js';

export async function resume(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const meeting = interaction.channelId ? await ctx.council.meetings.inThread(interaction.channelId) : undefined;
  if (!meeting) throw new CouncilError('bad_usage', 'use /meeting resume inside a meeting thread');
  await interaction.reply({ content: await resumeFromDiscord(ctx, interaction, meeting), flags: MessageFlags.Ephemeral });
}
