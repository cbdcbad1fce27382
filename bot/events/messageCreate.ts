import { MessageReferenceType, MessageType, type Message, type TextChannel, type ThreadChannel } from 'discord.js';
import { isCouncilError, toUserMessage } from '../../core/errors.js';
import { metrics } from '../../core/metrics.js';
import type { BotContext } from '../context.js';
import { answerAsPersona } from '../functions/chat/answerAsPersona.js';
import { meetingTranscript } from '../functions/chat/meetingTranscript.js';
import { messageAttachments } from '../functions/chat/messageAttachments.js';
import { messageNotice } from '../functions/chat/messageNotice.js';
import { personaFor } from '../functions/chat/personaFor.js';
import { replyChain } from '../functions/chat/replyChain.js';
import { speakerOf } from '../functions/chat/speakerOf.js';
import { callerOfMessage } from '../functions/discord/callerOf.js';
import { placeLimits } from '../functions/guards/placeLimits.js';
import { countRefusal } from '../functions/guards/refusals.js';
import { forwardToMeeting } from '../functions/meetings/forwardToMeeting.js';

/**
 * A message addressed to a colleague (by name, or by replying to one) is
 * answered with the reply chain it belongs to, and in a finished meeting's
 * thread with the meeting's transcript; bots and webhooks are ignored, so
 * nothing loops. The place's settings decide the rest (core/settings): in
 * `ambient` mode any message is answered by the default colleague, in `off`
 * none; a listening place takes in what is said without replying; a person
 * blocked there, or a colleague not allowed there, gets nothing in the
 * channel (the refusal is counted).
 */
export async function onMessageCreate(message: Message, ctx: BotContext): Promise<void> {
  if (message.author.bot || message.webhookId || !message.inGuild()) return;
  // In a server Council does not serve, a message gets nothing at all (the bot leaves it).
  if (ctx.guilds.refuse(message.guildId)) return;
  // Only what a person typed: forwards (their text is a snapshot of someone else's) and system notices such as pins are not questions.
  if ((message.type !== MessageType.Default && message.type !== MessageType.Reply) || message.reference?.type === MessageReferenceType.Forward) return;
  const caller = callerOfMessage(message);
  // In a meeting's thread, people speak in the meeting.
  if (await forwardToMeeting(message, ctx, caller)) return;
  const target = await personaFor(message, ctx);
  const { decision, view } = await ctx.council.settings.decideMessage(caller, target.role?.id ?? null);
  if (decision.action === 'refuse') {
    countRefusal(decision.reason);
    return;
  }
  if (decision.action === 'listen') await ctx.council.memory.listen(caller, decision.agent, message.content);
  if (decision.action !== 'answer') {
    if (target.mentioned && !target.role) {
      const example = ctx.council.agents.roles[0]?.name.split(' ')[0] ?? 'Priya';
      await message.reply({ content: `Which colleague should answer? Start with a name, e.g. \`${example}: ${target.text || 'your question'}\`, or use /ask.`.slice(0, 2000), allowedMentions: { parse: [], repliedUser: false } }).catch(() => {});
    }
    return;
  }
  const role = ctx.council.agents.get(decision.agent);
  const limit = ctx.council.config.MAX_MESSAGE_CHARS;
  if (target.text.length > limit) {
    await message.reply({ content: `That message is ${target.text.length} characters; I can take ${limit}. Could you shorten it or split it up?`, allowedMentions: { parse: [] } });
    metrics.discordCommands.inc({ command: 'reply', outcome: 'rejected' });
    return;
  }
  try {
    const channel = message.channel as TextChannel | ThreadChannel;
    const context = [...(channel.isThread() ? await meetingTranscript(ctx, channel.id, role) : []), ...(await replyChain(ctx, message, role))];
    const attachments = await messageAttachments(ctx, message);
    await answerAsPersona(ctx, { channel, agent: role.id, message: target.text, speaker: speakerOf(message.author, message.member), externalId: message.id, context, notice: messageNotice(message), attachments, model: view.modelFor(role.id), limits: placeLimits(view.values) });
    metrics.discordCommands.inc({ command: 'reply', outcome: 'ok' });
  } catch (error) {
    metrics.discordCommands.inc({ command: 'reply', outcome: isCouncilError(error) && (error.exitCode === 2 || error.code === 'busy') ? 'rejected' : 'error' });
    await message.reply({ content: `⚠️ ${toUserMessage(error)}`.slice(0, 2000), allowedMentions: { parse: [] } }).catch(() => {});
  }
}
