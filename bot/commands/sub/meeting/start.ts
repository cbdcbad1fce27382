import { ChannelType, MessageFlags, type ChatInputCommandInteraction, type TextChannel } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import { ownTask } from '../../../../core/tasks/ownTask.js';
import type { BotContext } from '../../../context.js';
import { channelOf } from '../../../functions/chat/channelOf.js';
import { runMeetingInThread } from '../../../functions/meetings/runMeetingInThread.js';

export async function start(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const topics = interaction.options.getString('topics', true).split(';').map((t) => t.trim()).filter(Boolean);
  if (topics.length === 0) throw new CouncilError('no_topic', 'give at least one topic; separate several with ";"');
  const participants = interaction.options.getString('participants')?.split(',').map((p) => p.trim()).filter(Boolean);
  const title = interaction.options.getString('title', true);
  const meeting = await ctx.council.createMeeting({ type: interaction.options.getString('type', true), title, topics, ...(participants?.length ? { participants } : {}), requestedBy: interaction.user.id, ownerId: `discord:${interaction.user.id}`, guildId: interaction.guildId, autostart: true });
  const channel = channelOf(interaction);
  if (channel.isThread()) throw new CouncilError('bad_usage', 'start meetings in a text channel; each meeting gets its own thread');
  const thread = await (channel as TextChannel).threads
    .create({ name: title.slice(0, 100), type: ChannelType.PublicThread, autoArchiveDuration: 1440, reason: `Council meeting ${meeting.id}` })
    .catch(async (error: unknown) => {
      // No thread, no meeting: a pending meeting nobody can see would only wait forever.
      await ctx.council.cancelMeeting(meeting.id).catch(() => {});
      throw error;
    });
  await ctx.council.setMeetingThread(meeting.id, { channelId: channel.id, threadId: thread.id });
  await interaction.editReply(`Meeting started in <#${thread.id}>.`);
  void ownTask(ctx.log, 'meeting-in-thread', () => runMeetingInThread(ctx, meeting.id, thread, false));
}
