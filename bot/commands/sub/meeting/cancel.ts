import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { stopMeeting } from '../../../functions/meetings/stopMeeting.js';

/** Cancel is Stop by its other name: running, paused or interrupted, the turns so far are kept. */
export async function cancel(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const meeting = interaction.channelId ? await ctx.council.meetings.inThread(interaction.channelId) : undefined;
  if (!meeting) throw new CouncilError('bad_usage', 'use /meeting cancel inside a meeting thread');
  await interaction.reply({ content: await stopMeeting(ctx, interaction, meeting), flags: MessageFlags.Ephemeral });
}
