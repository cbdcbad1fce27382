import type { TextChannel, ThreadChannel } from 'discord.js';

/** History lives per thread, or per channel and person outside threads. */
export function scopeFor(channel: TextChannel | ThreadChannel, userId: string): string {
  return channel.isThread() ? `discord:thread:${channel.id}` : `discord:${channel.id}:${userId}`;
}
