import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';

export async function stop(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const meeting = interaction.channelId ? await ctx.council.meetingInThread(interaction.channelId) : undefined;
  const controller = meeting ? ctx.running.get(meeting.id)?.cancel : undefined;
  if (!meeting || !controller) throw new CouncilError('bad_usage', 'no meeting is running in this thread');
  controller.abort();
  await interaction.reply({ content: 'Stopping the meeting…', flags: MessageFlags.Ephemeral });
}
