import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { stopMeeting } from '../../../functions/meetings/stopMeeting.js';

export async function stop(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const meeting = interaction.channelId ? await ctx.council.meetings.inThread(interaction.channelId) : undefined;
  if (!meeting) throw new CouncilError('bad_usage', 'use /meeting stop inside a meeting thread');
  const content = await stopMeeting(ctx, interaction, meeting);
  await interaction.reply({ content, flags: MessageFlags.Ephemeral });
}
