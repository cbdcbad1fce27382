import type { Channel, TextChannel, ThreadChannel } from 'discord.js';
import type { AttachmentInput } from '../../../core/attachments/attachmentTypes.js';
import { CouncilError } from '../../../core/errors.js';
import { discordCaller } from '../../../core/memory/scope.js';
import type { ContextTurn } from '../../../core/orchestrator/chatStream.js';
import type { Speaker } from '../../../core/orchestrator/context.js';
import type { Role } from '../../../core/roles/roleSchema.js';
import type { BotContext } from '../../context.js';
import { describeDiscordError } from '../discord/discordErrors.js';
import { placeOf } from '../discord/placeOf.js';
import { showToolCall } from '../tools/showToolCall.js';
import type { GateLimits } from '../guards/generationGate.js';
import { DiscordStream } from '../streaming/discordStream.js';
import { QueueStatus, type QueueNotice } from './queueStatus.js';
import { scopeFor } from './scopeFor.js';

export interface AnswerInput {
  channel: TextChannel | ThreadChannel;
  agent: string;
  message: string;
  speaker: Speaker;
  externalId?: string;
  quote?: boolean;
  signal?: AbortSignal;
  /** Prior turns the prompt should see (a reply chain, a finished meeting's transcript). */
  context?: ContextTurn[];
  /** Where the place in line is shown when the answer waits more than 2 s. */
  notice?: QueueNotice;
  /** Generations of one request (a /consult) wait as one. */
  batch?: string;
  /** The model this colleague answers with here (the place's settings); MODEL_NAME when absent. */
  model?: string | null;
  /** The place's caps on answers in progress and waiting (its settings); the environment's when absent. */
  limits?: GateLimits;
  /** Files shared with the message (and the message it replies to). */
  attachments?: AttachmentInput[];
}

export interface Answer {
  content: string;
  messageIds: string[];
  /** Someone deleted the answer while it streamed: it ended there, and its stored reply is marked deleted. */
  removed?: true;
}

/**
 * One colleague answers in a channel: streamed under the persona's name, queued
 * behind the channel's and the person's other generations (typing shown
 * throughout, the place in line after 2 s), and the stored reply linked to its
 * Discord message so a reply to it continues with that persona. A moderator
 * deleting the answer while it streams ends it: generation stops, nothing is
 * posted again, and the stored reply is marked deleted.
 */
export async function answerAsPersona(ctx: BotContext, input: AnswerInput): Promise<Answer> {
  const role = ctx.council.agents.get(input.agent);
  const scope = scopeFor(input.channel, input.speaker.id);
  const lane = `${role.id}:discord:${scope}`;
  const status = new QueueStatus({ channel: input.channel, log: ctx.log, models: ctx.council.models, lane, ...(input.notice ? { notice: input.notice } : {}) });
  try {
    return await ctx.gate.run(input.channel.id, input.speaker.id, () => generate(ctx, input, role, scope, lane, status), { ...(input.batch ? { batch: input.batch } : {}), ...(input.limits ? { limits: input.limits } : {}), onPosition: status.onGatePosition });
  } finally {
    await status.stop();
  }
}

async function generate(ctx: BotContext, input: AnswerInput, role: Role, scope: string, lane: string, status: QueueStatus): Promise<Answer> {
  const quote = input.quote ? `> **${input.speaker.name}**: ${input.message.split('\n', 1)[0]!.slice(0, 300)}\n\n` : '';
  const room = await ctx.personas.room(input.channel, role);
  const withdrawn = new AbortController();
  const stream = new DiscordStream({
    send: (content) => ctx.personas.send(input.channel, role, content),
    log: ctx.log,
    room,
    prefix: quote,
    watch: ctx.removals.watchMessage,
    onRemoved: () => withdrawn.abort(),
  });
  let done: { content: string; messageId: string | null } | undefined;
  const events = ctx.council.chatStream({
    agent: role.id,
    message: input.message,
    scope,
    lane,
    ...(input.context?.length ? { context: input.context } : {}),
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    // Where in the server, so the place's settings (tools among them) come from the thread, its channel and the guild.
    caller: discordCaller({ userId: input.speaker.id, name: input.speaker.name, guildId: input.channel.guildId, placeId: input.channel.id, place: placeOf(input.channel as Channel) }),
    externalId: input.externalId ?? null,
    ...(input.signal ? { signal: input.signal } : {}),
    withdrawn: withdrawn.signal,
    ...(input.model ? { model: input.model } : {}),
  });
  try {
    for await (const event of events) {
      if (event.type === 'token') {
        status.started();
        stream.push(event.text);
      }
      if (event.type === 'tool_call') await showToolCall(input.channel, role.name, event, ctx.log);
      if (event.type === 'turn_done') done = { content: event.content, messageId: event.messageId };
    }
  } catch (error) {
    // What was shown stays, marked as cut short; the caller reports the error itself.
    await stream.finish(undefined, input.signal?.aborted ? 'stopped' : 'failed');
    throw error;
  }
  const { messageIds, blocked, removed } = await stream.finish(done?.content);
  if (removed) {
    // Deleted after the reply was stored (it had finished): marked now; otherwise chatStream stored it marked.
    if (done?.messageId) await ctx.council.conversations.replyDeleted({ messageId: done.messageId });
    ctx.log.info({ agent: role.id, channel: input.channel.id }, 'an answer was deleted while it streamed: it ends there and is not posted again');
    return { content: '', messageIds: [], removed: true };
  }
  if (blocked) throw new CouncilError('forbidden', `${role.name} answered but Discord would not show it: ${describeDiscordError(blocked)}`);
  if (done?.messageId && messageIds[0]) await ctx.council.conversations.tagMessage(done.messageId, messageIds[0], messageIds.slice(1));
  return { content: done?.content ?? '', messageIds };
}
