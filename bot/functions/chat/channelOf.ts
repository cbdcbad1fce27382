import { CouncilError } from '../../../core/errors.js';
import type { ChatInputCommandInteraction, TextChannel, ThreadChannel } from 'discord.js';

/** The text channel or thread a command was used in; elsewhere (DMs, voice) Council does not talk. */
export function channelOf(interaction: ChatInputCommandInteraction): TextChannel | ThreadChannel {
  const channel = interaction.channel;
  if (channel && (channel.isThread() || channel.isTextBased()) && 'guild' in channel) return channel as TextChannel | ThreadChannel;
  throw new CouncilError('bad_usage', 'use Council commands in a server text channel or thread');
}
