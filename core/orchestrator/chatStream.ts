import type { AttachmentInput } from '../attachments/attachmentTypes.js';
import { prepareAttachments } from '../attachments/prepareAttachments.js';
import { CouncilError, toCouncilError } from '../errors.js';
import type { CallStats, CouncilEvent } from '../events.js';
import { replyReserveTokens } from '../llm/replyReserveTokens.js';
import { metrics } from '../metrics.js';
import { estimateTokens } from '../memory/estimateTokens.js';
import { conversationScope, type Caller } from '../memory/scope.js';
import { refuseNul } from '../refuseNul.js';
import { buildChatPrompt, buildSystemPrompt, noteLimits, renderNotes } from './buildChatPrompt.js';
import type { CouncilContext } from './context.js';
import { embeddingFor } from './embeddingFor.js';
import { rememberExchange } from './rememberExchange.js';
import { chatWithTools } from '../tools/chatWithTools.js';
import type { ToolCallRecord } from '../tools/toolCallRecord.js';

/** council_chats_total{outcome}; Council.open exports each at 0 for every agent. */
export const chatOutcomes = ['ok', 'error', 'cancelled'] as const;
const countChat = (agent: string, outcome: (typeof chatOutcomes)[number]) => metrics.chats.inc({ agent, outcome });

export interface ChatOptions {
  agent: string;
  message: string;
  /** Who is asking, and where: decides which conversation continues and what may be recalled. */
  caller: Caller;
  /** The caller's session (a CLI or API session name, a Discord channel+user or thread); namespaced by the caller. */
  scope?: string;
  signal?: AbortSignal;
  /** The platform id of the user's message (a Discord message id). */
  externalId?: string | null;
  /** Files shared with the message: quoted into the prompt as untrusted data, stored on it as references only. */
  attachments?: AttachmentInput[];
  /** Queue lane for fairness; defaults to the conversation. */
  lane?: string;
  /**
   * Earlier turns the face brings along, oldest first (a Discord reply chain, a
   * finished meeting's transcript). They go just before the message and take
   * the prompt's room before stored history; the oldest are dropped first.
   */
  context?: ContextTurn[];
  /**
   * The face took the answer back while it was written (a moderator deleted
   * it where it showed): generation stops, and the exchange is stored with
   * the reply, as far as it went, marked deleted, so it is never history
   * again. No turn_done follows.
   */
  withdrawn?: AbortSignal;
  /** The model to answer with (a place's setting for this colleague); MODEL_NAME when absent. */
  model?: string | null;
  /**
   * Tools the terminal user allows for this run (`--tools server.tool,...`);
   * only the terminal user may. Others have what their key or place grants.
   */
  tools?: string[];
}

/** One prior turn: the agent's own words as `assistant`, anyone else's as `user` labelled with their name. */
export interface ContextTurn {
  role: 'user' | 'assistant';
  content: string;
  name?: string;
}

/** The role prompt's wrapping: date, name, notes preamble, answer style. */
const frameTokens = 160;

/**
 * One agent answers one message: recall, prompt, streamed reply, then the
 * exchange is stored in one transaction and which memories its prompt held is recorded;
 * what to remember of it is worked out in the background (rememberExchange).
 * Throws CouncilError; stores nothing when anything fails, so a retry never duplicates history.
 * The prompt fits CONTEXT_TOKENS: the message and the reply's reserve come
 * first, then notes, then as much history as is left.
 */
export async function* chatStream(ctx: CouncilContext, options: ChatOptions): AsyncGenerator<CouncilEvent> {
  const role = ctx.agents.get(options.agent);
  // The place's model for this colleague (the face passes it), else the role's own, else MODEL_NAME.
  const model = options.model ?? role.model;
  const attached = options.attachments ?? [];
  const message = options.message.trim() || (attached.length > 0 ? 'Please look at what I attached.' : '');
  if (message === '') throw new CouncilError('bad_usage', 'the message is empty; say something to the agent');
  refuseNul('the message', message);
  refuseNul('the session name', options.scope);
  if (message.length > ctx.config.MAX_MESSAGE_CHARS) {
    throw new CouncilError('message_too_long', `the message has ${message.length} characters; the limit is ${ctx.config.MAX_MESSAGE_CHARS} (MAX_MESSAGE_CHARS), so shorten it or attach less`);
  }
  const room = ctx.config.CONTEXT_TOKENS - replyReserveTokens - frameTokens - estimateTokens(role.prompt) - estimateTokens(message) - 16;
  if (room < 0) {
    const fits = Math.max(0, (ctx.config.CONTEXT_TOKENS - replyReserveTokens - frameTokens - estimateTokens(role.prompt) - 16) * 4);
    throw new CouncilError('message_too_long', `the message is about ${estimateTokens(message)} tokens; with CONTEXT_TOKENS=${ctx.config.CONTEXT_TOKENS} this agent can take about ${fits} characters, so shorten it or raise CONTEXT_TOKENS`);
  }
  const attachments = await prepareAttachments({
    attachments: attached,
    limits: { maxCount: ctx.config.ATTACHMENT_MAX_COUNT, maxBytes: ctx.config.ATTACHMENT_MAX_BYTES, pdfMaxPages: ctx.config.ATTACHMENT_PDF_MAX_PAGES },
    // What the message and the notes leave, less a fifth kept for the conversation so far.
    maxChars: Math.floor(Math.max(0, room * 4 - noteLimits.chars) * 0.8),
    canSee: attached.length > 0 && (await ctx.llm.canSee(model ?? undefined)),
    model: model ?? ctx.llm.model,
  });
  const asked = attachments.text ? `${message}\n\n${attachments.text}` : message;
  const caller = options.caller;
  const key = { agentId: role.id, scope: conversationScope(caller, options.scope ?? 'default'), ownerId: caller.ownerId, guildId: caller.guildId };
  const grant = ctx.tools ? await ctx.tools.grantFor(caller, options.tools) : null;
  const use = grant && grant.entries.length > 0 ? { grant, caller, agentId: role.id, where: `conversation:${key.scope}` } : null;
  try {
    const conversationId = await ctx.conversations.find(key.agentId, key.scope);
    const embedding = await embeddingFor(ctx, message, options.signal);
    const recalled = await ctx.memories.recall({ agentId: role.id, caller, text: message, embedding, minScore: ctx.config.MEMORY_MIN_SCORE, halfLifeDays: ctx.config.MEMORY_HALF_LIFE_DAYS });
    const notes = renderNotes(recalled, Math.max(0, room * 4) / 2);
    const system = buildSystemPrompt({ role, notes, caller });
    const historyBudget = ctx.config.CONTEXT_TOKENS - replyReserveTokens - estimateTokens(system) - estimateTokens(asked) - 16;
    const context = fitContext(options.context ?? [], historyBudget);
    const left = historyBudget - context.tokens;
    const history = conversationId && left > 0 ? await ctx.conversations.history(conversationId, left) : [];
    const prompt = buildChatPrompt({ system, history, message: asked, caller });
    prompt.splice(prompt.length - 1, 0, ...context.messages);
    if (attachments.images.length > 0) prompt[prompt.length - 1]!.images = attachments.images;

    yield { type: 'turn_started', agent: role.id, kind: 'reply' };
    let stats: CallStats | null = null;
    let content = '';
    const toolCalls: ToolCallRecord[] = [];
    const signals = [options.signal, options.withdrawn].filter((signal) => signal !== undefined);
    try {
      const request = {
        messages: prompt,
        lane: options.lane ?? `${role.id}:${key.scope}`,
        temperature: ctx.agents.temperatureOf(role),
        ...(model ? { model } : {}),
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
        kind: 'chat' as const,
      };
      for await (const chunk of chatWithTools(ctx.llm, ctx.tools, request, use)) {
        if ('token' in chunk) {
          content += chunk.token;
          yield { type: 'token', agent: role.id, text: chunk.token };
        } else if ('toolCall' in chunk) {
          const { output, ...record } = chunk.toolCall;
          toolCalls.push(record);
          yield { type: 'tool_call', agent: role.id, kind: 'reply', ...record, output };
        } else {
          content = chunk.done.content;
          const { content: _content, ...rest } = chunk.done;
          stats = rest;
        }
      }
    } catch (error) {
      if (!options.withdrawn?.aborted) throw error;
    }
    const withdrawn = options.withdrawn?.aborted === true;
    const { userMessageId, replyMessageId } = await ctx.conversations.appendExchange(
      { conversation: key, user: { content: message, authorId: caller.ownerId, authorName: caller.name, externalId: options.externalId ?? null, attachments: attachments.refs }, reply: { content, stats, deleted: withdrawn, toolCalls } },
    );
    await rememberExchange(ctx, { agentId: role.id, caller, message, userMessageId, replyMessageId, used: recalled.slice(0, notes.length) });
    if (withdrawn) {
      countChat(role.id, 'cancelled');
      return;
    }
    countChat(role.id, 'ok');
    yield { type: 'turn_done', agent: role.id, kind: 'reply', content, messageId: replyMessageId, stats };
  } catch (error) {
    const failure = toCouncilError(error);
    countChat(role.id, failure.code === 'cancelled' ? 'cancelled' : 'error');
    throw failure;
  }
}

/** The newest context turns that fit `budget` tokens, back in their order. */
function fitContext(turns: ContextTurn[], budget: number): { messages: Array<{ role: 'user' | 'assistant'; content: string }>; tokens: number } {
  const messages: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  let tokens = 0;
  for (const turn of [...turns].reverse()) {
    const content = turn.role === 'user' && turn.name ? `[${turn.name}] ${turn.content}` : turn.content;
    const cost = estimateTokens(content) + 4;
    if (tokens + cost > budget) break;
    tokens += cost;
    messages.unshift({ role: turn.role, content });
  }
  return { messages, tokens };
}
