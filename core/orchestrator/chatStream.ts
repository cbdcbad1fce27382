import { CouncilError, toCouncilError } from '../errors.js';
import type { CallStats, CouncilEvent } from '../events.js';
import { metrics } from '../metrics.js';
import { estimateTokens } from '../memory/estimateTokens.js';
import { judgeMemory } from '../memory/judgeMemory.js';
import { buildChatPrompt } from './buildChatPrompt.js';
import type { CouncilContext, Speaker } from './context.js';
import { embeddingFor } from './rememberEmbedding.js';

export interface ChatOptions {
  agent: string;
  message: string;
  /** Where the conversation lives: a CLI session, a Discord channel+user, an API session. */
  scope?: string;
  speaker?: Speaker | null;
  signal?: AbortSignal;
  /** The platform id of the user's message (a Discord message id). */
  externalId?: string | null;
  /** Queue lane for fairness; defaults to the conversation. */
  lane?: string;
}

const replyReserveTokens = 1024;

/**
 * One agent answers one message: recall, prompt, streamed reply, then the
 * exchange and any memory are stored together. Throws CouncilError; stores
 * nothing when the model call fails.
 */
export async function* chatStream(ctx: CouncilContext, options: ChatOptions): AsyncGenerator<CouncilEvent> {
  const role = ctx.agents.get(options.agent);
  const message = options.message.trim();
  if (message === '') throw new CouncilError('bad_usage', 'the message is empty; say something to the agent');
  if (message.length > ctx.config.MAX_MESSAGE_CHARS) {
    throw new CouncilError('message_too_long', `the message has ${message.length} characters; the limit is ${ctx.config.MAX_MESSAGE_CHARS} (MAX_MESSAGE_CHARS), so shorten it or attach less`);
  }
  const speaker = options.speaker ?? null;
  const scope = options.scope ?? 'default';
  try {
    const conversationId = await ctx.conversations.conversationId(role.id, scope, speaker?.id ?? null);
    const embedding = await embeddingFor(ctx, message, options.signal);
    const recalled = await ctx.memories.recall({ agentId: role.id, userId: speaker?.id ?? null, text: message, embedding });
    const systemTokens = estimateTokens(role.prompt) + recalled.reduce((sum, m) => sum + estimateTokens(m.content), 0) + 64;
    const budget = Math.max(256, ctx.config.CONTEXT_TOKENS - replyReserveTokens - systemTokens - estimateTokens(message));
    const history = await ctx.conversations.history(conversationId, budget);
    const prompt = buildChatPrompt({ role, history, memories: recalled, message, speaker });

    yield { type: 'turn_started', agent: role.id, kind: 'reply' };
    let stats: CallStats | null = null;
    let content = '';
    for await (const chunk of ctx.llm.streamChat({
      messages: prompt,
      lane: options.lane ?? conversationId,
      temperature: ctx.agents.temperatureOf(role),
      ...(options.signal ? { signal: options.signal } : {}),
      kind: 'chat',
    })) {
      if ('token' in chunk) {
        yield { type: 'token', agent: role.id, text: chunk.token };
      } else {
        content = chunk.done.content;
        const { content: _content, ...rest } = chunk.done;
        stats = rest;
      }
    }
    const { replyMessageId } = await ctx.conversations.appendExchange({
      conversationId,
      user: { content: message, authorId: speaker?.id ?? null, authorName: speaker?.name ?? null, externalId: options.externalId ?? null },
      reply: { content, stats },
    });
    const judgement = judgeMemory(message);
    if (judgement) {
      const who = speaker ? `${speaker.name} said` : 'Someone said';
      await ctx.memories.add({
        agentId: role.id,
        content: `${who}: ${message}`,
        kind: judgement.kind,
        importance: judgement.importance,
        userId: speaker?.id ?? null,
        subject: speaker?.name ?? null,
        embedding,
        embeddingModel: embedding ? ctx.config.EMBED_MODEL : null,
      });
    }
    metrics.chats.inc({ agent: role.id, outcome: 'ok' });
    yield { type: 'turn_done', agent: role.id, kind: 'reply', content, messageId: replyMessageId, stats };
  } catch (error) {
    const failure = toCouncilError(error);
    metrics.chats.inc({ agent: role.id, outcome: failure.code === 'cancelled' ? 'cancelled' : 'error' });
    throw failure;
  }
}
