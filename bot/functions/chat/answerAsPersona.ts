import type { TextChannel, ThreadChannel } from 'discord.js';
import { CouncilError } from '../../../core/errors.js';
import { discordCaller } from '../../../core/memory/scope.js';
import type { Speaker } from '../../../core/orchestrator/context.js';
import type { BotContext } from '../../context.js';
import { describeDiscordError } from '../discord/discordErrors.js';
import { DiscordStream } from '../streaming/streamToDiscord.js';
import { scopeFor } from './scopeFor.js';

/**
 * One colleague answers in a channel: streamed under the persona's name, queued
 * behind the channel's and the person's other generations, and the stored reply
 * linked to its Discord message so a reply to it continues with that persona.
 */
export async function answerAsPersona(
  ctx: BotContext,
  input: { channel: TextChannel | ThreadChannel; agent: string; message: string; speaker: Speaker; externalId?: string; quote?: boolean; signal?: AbortSignal },
): Promise<{ content: string; messageIds: string[] }> {
  const role = ctx.council.agents.get(input.agent);
  return ctx.gate.run(input.channel.id, input.speaker.id, async () => {
    const quote = input.quote ? `> **${input.speaker.name}**: ${input.message.split('\n', 1)[0]!.slice(0, 300)}\n\n` : '';
    const room = await ctx.personas.room(input.channel, role);
    const stream = new DiscordStream({ send: (content) => ctx.personas.send(input.channel, role, content), log: ctx.log, room, prefix: quote });
    let done: { content: string; messageId: string | null } | undefined;
    const events = ctx.council.chatStream({
      agent: role.id,
      message: input.message,
      scope: scopeFor(input.channel, input.speaker.id),
      caller: discordCaller({ userId: input.speaker.id, name: input.speaker.name, guildId: input.channel.guildId, placeId: input.channel.id }),
      externalId: input.externalId ?? null,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    try {
      for await (const event of events) {
        if (event.type === 'token') stream.push(event.text);
        if (event.type === 'turn_done') done = { content: event.content, messageId: event.messageId };
      }
    } catch (error) {
      // What was shown stays, marked as cut short; the caller reports the error itself.
      await stream.finish(undefined, input.signal?.aborted ? 'stopped' : 'failed');
      throw error;
    }
    const { messageIds, blocked } = await stream.finish(done?.content);
    if (blocked) throw new CouncilError('forbidden', `${role.name} answered but Discord would not show it: ${describeDiscordError(blocked)}`);
    if (done?.messageId && messageIds[0]) await ctx.council.ctx.conversations.setExternalId(done.messageId, messageIds[0]);
    return { content: done?.content ?? '', messageIds };
  });
}
