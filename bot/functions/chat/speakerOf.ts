import type { GuildMember, User } from 'discord.js';
import type { Speaker } from '../../../core/orchestrator/context.js';

/** Who is talking, by the name people see in this server. */
export function speakerOf(user: User, member: GuildMember | null | { displayName?: string } | unknown): Speaker {
  const displayName = (member as { displayName?: string } | null)?.displayName;
  return { id: user.id, name: displayName ?? user.globalName ?? user.username };
}
