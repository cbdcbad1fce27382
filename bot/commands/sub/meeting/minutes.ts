import { AttachmentBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import { renderMinutesMarkdown } from '../../../../core/meetings/engine/renderMinutesMarkdown.js';
import type { BotContext } from '../../../context.js';

export async function minutes(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const summary = interaction.channelId ? await ctx.council.meetings.inThread(interaction.channelId) : undefined;
  if (!summary) throw new CouncilError('bad_usage', 'use /meeting minutes inside a meeting thread');
  const meeting = await ctx.council.getMeeting(summary.id);
  if (!meeting.minutes) throw new CouncilError('bad_usage', `this meeting is ${meeting.status} and has no minutes yet`);
  const attendees = [meeting.facilitator, ...meeting.participants];
  const markdown = renderMinutesMarkdown({
    title: meeting.title,
    typeName: ctx.council.meetingTypes().find((t) => t.id === meeting.type)?.name ?? meeting.type,
    date: meeting.endedAt ?? meeting.createdAt,
    participants: attendees,
    minutes: meeting.minutes,
    agentNames: Object.fromEntries(attendees.map((id) => [id, ctx.council.agents.get(id).name])),
  });
  await interaction.editReply({ content: meeting.minutes.summary.slice(0, 1900), files: [new AttachmentBuilder(Buffer.from(markdown), { name: 'minutes.md' })] });
}
