import type { Message } from 'discord.js';
import type { Role } from '../../../core/roles/roleSchema.js';
import type { BotContext } from '../../context.js';

/**
 * Which colleague a message is for: the author of the message it replies to
 * (by the stored message map, or the webhook's persona name), or, in a meeting
 * thread, a colleague named in it ("@Priya" or "Priya Raman").
 */
export async function personaFor(message: Message, ctx: BotContext): Promise<Role | undefined> {
  if (message.reference?.messageId) {
    const agentId = await ctx.council.ctx.conversations.agentForExternalId(message.reference.messageId);
    if (agentId) return ctx.council.agents.find(agentId);
    const referenced = await message.fetchReference().catch(() => null);
    if (referenced?.webhookId) return ctx.council.agents.roles.find((role) => role.name === referenced.author.username);
    return undefined;
  }
  if (!message.channel.isThread() || !(await ctx.council.meetingInThread(message.channel.id))) return undefined;
  const text = message.content.toLowerCase();
  return ctx.council.agents.roles.find((role) => text.includes(role.name.toLowerCase()) || text.includes(`@${role.name.split(' ')[0]!.toLowerCase()}`));
}
