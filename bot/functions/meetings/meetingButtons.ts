import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';

export const pauseButtonId = (meetingId: string) => `meeting:pause:${meetingId}`;
export const resumeButtonId = (meetingId: string) => `meeting:resume:${meetingId}`;

/** Stop (cancel) with Pause and Resume beside it, on the meeting's first post. */
export function meetingButtons(meetingId: string, stopId: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(stopId).setLabel('Stop meeting').setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(pauseButtonId(meetingId)).setLabel('Pause').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(resumeButtonId(meetingId)).setLabel('Resume').setStyle(ButtonStyle.Success),
  );
}
