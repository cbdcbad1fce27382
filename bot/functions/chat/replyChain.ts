import type { Message } from 'discord.js';
import type { ContextTurn } from '../../../core/orchestrator/chatStream.js';
import type { Role } from '../../../core/roles/roleSchema.js';
import type { BotContext } from '../../context.js';
import { noteDiscordError } from '../discord/discordErrors.js';
import { speakerOf } from './speakerOf.js';

/** How many messages up a reply chain are read; the token budget in core trims further. */
export const replyChainMax = 10;
const prefixed = /^\*\*(.+?)\*\* · [^\n]*\n/;

/**
 * The messages a reply answers, oldest first (llmcord style): each message's
 * reference is followed up to `replyChainMax`, within the same channel. The
 * answering colleague's own words come back as its turns, everyone else's
 * (people and other colleagues) as theirs, labelled by name.
 */
export async function replyChain(ctx: BotContext, message: Message<true>, answering: Role, max = replyChainMax): Promise<ContextTurn[]> {
  const turns: ContextTurn[] = [];
  let next = message.reference?.channelId === message.channelId ? message.reference.messageId : undefined;
  const seen = new Set<string>([message.id]);
  while (next && turns.length < max && !seen.has(next)) {
    seen.add(next);
    const id = next;
    const previous = message.channel.messages.cache.get(id) ?? (await message.channel.messages.fetch(id).catch((error: unknown) => noteDiscordError(ctx.log, 'reply chain fetch', error, { message: id })));
    if (!previous) break;
    const turn = toTurn(ctx, previous, answering);
    if (turn) turns.unshift(turn);
    if (previous.reference) next = previous.reference.channelId === message.channelId ? previous.reference.messageId : undefined;
    // A colleague's answer is not a Discord reply (webhooks cannot reply): the stored exchange knows the question it answered.
    else next = turn && (previous.webhookId || previous.author.id === ctx.client.user?.id) ? ((await ctx.council.conversations.questionForMessage(previous.id)) ?? undefined) : undefined;
  }
  return turns;
}

function toTurn(ctx: BotContext, message: Message, answering: Role): ContextTurn | null {
  const content = message.content.trim();
  if (!content) return null;
  // A colleague speaks through the webhook (its name as the author) or through the bot account with "**Name** · Title" in front.
  const plain = message.author.id === ctx.client.user?.id ? prefixed.exec(content) : null;
  const persona = message.webhookId ? message.author.username : plain?.[1];
  if (persona) {
    const text = plain ? content.slice(plain[0].length) : content;
    return persona === answering.name ? { role: 'assistant', content: text } : { role: 'user', name: persona, content: text };
  }
  if (message.author.bot) return null;
  return { role: 'user', name: speakerOf(message.author, message.member).name, content };
}
