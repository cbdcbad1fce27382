import type { Message } from 'discord.js';
import type { Role } from '../../../core/roles/roleSchema.js';
import type { BotContext } from '../../context.js';
import { addressedPersona } from './addressedPersona.js';

export interface Target {
  /** The colleague who answers; none: the message is not for Council. */
  role?: Role;
  /** What they are asked: the message without the bot mention and the name it was addressed with. */
  text: string;
  /** The bot was @mentioned (with no colleague found, the person gets a hint). */
  mentioned: boolean;
}

/**
 * Which colleague a message is for, first match wins: the one it names
 * (`Priya: ...`, `@Council Priya ...`); the author of the message it replies
 * to (by the stored message map, or the webhook's persona name); in a
 * meeting's thread, a colleague named in it ("@Priya" or "Priya Raman").
 */
export async function personaFor(message: Message, ctx: BotContext): Promise<Target> {
  const addressed = addressedPersona(message.content, ctx.client.user?.id ?? '', ctx.council.agents.roles);
  if (addressed.role) return addressed;
  const target = (role: Role | undefined): Target => ({ ...(role ? { role } : {}), text: addressed.text, mentioned: addressed.mentioned });
  if (message.reference?.messageId) {
    const agentId = await ctx.council.conversations.agentForMessage(message.reference.messageId);
    if (agentId) return target(ctx.council.agents.find(agentId));
    const referenced = await message.fetchReference().catch(() => null);
    if (referenced?.webhookId) return target(ctx.council.agents.roles.find((role) => role.name === referenced.author.username));
    return target(undefined);
  }
  if (!message.channel.isThread() || !(await ctx.council.meetings.inThread(message.channel.id))) return target(undefined);
  const text = message.content.toLowerCase();
  return target(ctx.council.agents.roles.find((role) => text.includes(role.name.toLowerCase()) || text.includes(`@${role.name.split(' ')[0]!.toLowerCase()}`)));
}
