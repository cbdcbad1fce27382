import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { pauseFromDiscord } from '../../../functions/meetings/pauseOrResume.js';

export async function pause(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const meeting = interaction.channelId ? await ctx.council.meetings.inThread(interaction.channelId) : undefined;
  if (!meeting) throw new CouncilError('bad_usage', 'use /meeting pause inside a meeting thread');
  await interaction.reply({ content: await pauseFromDiscord(ctx, interaction, meeting), flags: MessageFlags.Ephemeral });
}
