import { ChannelType, MessageFlags, type ChatInputCommandInteraction, type TextChannel } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import { parseModelChoices } from '../../../../core/meetings/meetingModels.js';
import type { BotContext } from '../../../context.js';
import { channelOf } from '../../../functions/chat/channelOf.js';
import { callerOf } from '../../../functions/discord/callerOf.js';
import { runMeetingInThread } from '../../../functions/meetings/runMeetingInThread.js';

export async function start(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const topics = interaction.options.getString('topics', true).split(';').map((t) => t.trim()).filter(Boolean);
  if (topics.length === 0) throw new CouncilError('no_topic', 'give at least one topic; separate several with ";"');
  const models = parseModelChoices([interaction.options.getString('models') ?? '']);
  const named = interaction.options.getString('participants')?.split(',').map((p) => ctx.council.agents.get(p.trim()).id);
  const title = interaction.options.getString('title', true);
  const caller = callerOf(interaction);
  // Named participants must be colleagues of this place; otherwise the place's own list, or the type's less those it does not allow.
  const place = await ctx.council.settings.admit(caller, named ?? []);
  const type = ctx.council.meetingTypes().find((t) => t.id === interaction.options.getString('type', true));
  const participants = named?.length ? named : (place.values.meetingParticipants ?? type?.participants.filter(place.allows));
  const independent = interaction.options.getBoolean('independent');
  const meeting = await ctx.council.meetings.create({ type: interaction.options.getString('type', true), title, topics, models, ...(independent === null ? {} : { independent }), ...(participants?.length ? { participants } : {}), requestedBy: interaction.user.id, autostart: true }, caller);
  const channel = channelOf(interaction);
  if (channel.isThread()) throw new CouncilError('bad_usage', 'start meetings in a text channel; each meeting gets its own thread');
  const thread = await (channel as TextChannel).threads
    .create({ name: title.slice(0, 100), type: ChannelType.PublicThread, autoArchiveDuration: 1440, reason: `Council meeting ${meeting.id}` })
    .catch(async (error: unknown) => {
      // No thread, no meeting: a pending meeting nobody can see would only wait forever.
      await ctx.council.meetings.cancel(meeting.id, caller).catch(() => {});
      throw error;
    });
  await ctx.council.meetings.attachThread(meeting.id, { channelId: channel.id, threadId: thread.id }, caller);
  await interaction.editReply(`Meeting started in <#${thread.id}>.`);
  runMeetingInThread(ctx, meeting.id, thread, false);
}
