import type { Channel } from 'discord.js';
import type { DiscordPlace } from '../../../core/memory/scope.js';

/** Where a channel sits for settings: a thread with its channel and that channel's category, or a channel with its category. */
export function placeOf(channel: Channel | null | undefined): DiscordPlace {
  if (!channel || channel.isDMBased()) return { threadId: null, channelId: null, categoryId: null };
  if (channel.isThread()) return { threadId: channel.id, channelId: channel.parentId, categoryId: channel.parent?.parentId ?? null };
  return { threadId: null, channelId: channel.id, categoryId: 'parentId' in channel ? (channel.parentId ?? null) : null };
}
