import { MessageReferenceType, MessageType, type Message, type TextChannel, type ThreadChannel } from 'discord.js';
import { toUserMessage } from '../../core/errors.js';
import { metrics } from '../../core/metrics.js';
import type { BotContext } from '../context.js';
import { answerAsPersona } from '../functions/chat/answerAsPersona.js';
import { personaFor } from '../functions/chat/personaFor.js';
import { speakerOf } from '../functions/chat/speakerOf.js';
import { forwardToMeeting } from '../functions/meetings/forwardToMeeting.js';

/** Replies to a persona's message continue with that persona; bots and webhooks are ignored, so nothing loops. */
export async function onMessageCreate(message: Message, ctx: BotContext): Promise<void> {
  if (message.author.bot || message.webhookId || !message.inGuild()) return;
  // Only what a person typed: forwards (their text is a snapshot of someone else's) and system notices such as pins are not questions.
  if ((message.type !== MessageType.Default && message.type !== MessageType.Reply) || message.reference?.type === MessageReferenceType.Forward) return;
  // In a meeting's thread, people speak in the meeting.
  if (await forwardToMeeting(message, ctx)) return;
  const role = await personaFor(message, ctx);
  if (!role) return;
  const limit = ctx.council.config.MAX_MESSAGE_CHARS;
  if (message.content.length > limit) {
    await message.reply({ content: `That message is ${message.content.length} characters; I can take ${limit}. Could you shorten it or split it up?`, allowedMentions: { parse: [] } });
    metrics.discordCommands.inc({ command: 'reply', outcome: 'rejected' });
    return;
  }
  try {
    await answerAsPersona(ctx, { channel: message.channel as TextChannel | ThreadChannel, agent: role.id, message: message.content, speaker: speakerOf(message.author, message.member), externalId: message.id });
    metrics.discordCommands.inc({ command: 'reply', outcome: 'ok' });
  } catch (error) {
    metrics.discordCommands.inc({ command: 'reply', outcome: 'error' });
    await message.reply({ content: `⚠️ ${toUserMessage(error)}`.slice(0, 2000), allowedMentions: { parse: [] } }).catch(() => {});
  }
}
