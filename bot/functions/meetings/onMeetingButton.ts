import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { isCouncilError } from '../../../core/errors.js';
import { metrics } from '../../../core/metrics.js';
import type { BotContext } from '../../context.js';
import { callerOf } from '../discord/callerOf.js';
import { noteDiscordError } from '../discord/discordErrors.js';
import { replyError } from '../replies/replyError.js';
import { pauseFromDiscord, resumeFromDiscord } from './pauseOrResume.js';

/** The Pause and Resume buttons beside Stop: same rules as /meeting pause|resume, one ephemeral line back. */
export async function onMeetingButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const [, action, meetingId] = interaction.customId.split(':');
  const command = `meeting_${action}_button`;
  try {
    const meeting = await ctx.council.meetings.get(meetingId ?? '', callerOf(interaction));
    const content = action === 'pause' ? await pauseFromDiscord(ctx, interaction, meeting) : await resumeFromDiscord(ctx, interaction, meeting);
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    metrics.discordCommands.inc({ command, outcome: 'ok' });
  } catch (error) {
    metrics.discordCommands.inc({ command, outcome: isCouncilError(error) ? 'rejected' : 'error' });
    await replyError(interaction, error).catch((failure: unknown) => noteDiscordError(ctx.log, `${action} button reply`, failure));
  }
}
