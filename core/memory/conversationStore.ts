import { and, arrayContains, arrayOverlaps, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { AttachmentRef } from '../attachments/attachmentTypes.js';
import type { Db } from '../db/database.js';
import { conversations, messages } from '../db/schema.js';
import type { ToolCallRecord } from '../tools/toolCallRecord.js';
import type { CallStats } from '../events.js';
import { estimateTokens } from './estimateTokens.js';

export interface HistoryMessage {
  role: 'user' | 'assistant' | 'summary';
  content: string;
  authorName: string | null;
}

/** A conversation's key and who it belongs to. */
export interface ConversationKey {
  agentId: string;
  scope: string;
  ownerId: string;
  guildId: string | null;
}

/** The transaction an exchange is stored in, for what must be stored with it (a memory). */
export type ExchangeTx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface NewExchange {
  conversation: ConversationKey;
  /** `attachments`: references to the files shared with the message (name, size, sha256), never their text. */
  user: { content: string; authorId?: string | null; authorName?: string | null; externalId?: string | null; attachments?: AttachmentRef[] };
  /** `deleted`: the face took it back as it was written (a moderator deleted it): stored, never history. */
  reply: { content: string; stats: CallStats | null; deleted?: boolean; toolCalls?: ToolCallRecord[] };
}

/** Conversation history per (agent, scope): read within a token budget, written one exchange at a time. */
export class ConversationStore {
  constructor(private readonly db: Db) {}

  /** The conversation's id, or null when nothing was said in it yet (it is made with its first exchange). */
  async find(agentId: string, scope: string): Promise<string | null> {
    const [row] = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.agentId, agentId), eq(conversations.scope, scope)));
    return row?.id ?? null;
  }

  /** The latest summary (if any) plus as many recent messages as fit in `tokenBudget`, oldest first; deleted replies are left out. */
  async history(conversationId: string, tokenBudget: number): Promise<HistoryMessage[]> {
    const recent = await this.db
      .select({ role: messages.role, content: messages.content, authorName: messages.authorName })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), isNull(messages.deletedAt)))
      .orderBy(desc(messages.createdAt))
      .limit(200);
    const kept: HistoryMessage[] = [];
    let used = 0;
    for (const message of recent) {
      const cost = estimateTokens(message.content) + 4;
      if (message.role === 'summary') {
        if (used + cost <= tokenBudget) kept.push(message);
        break;
      }
      if (used + cost > tokenBudget) break;
      used += cost;
      kept.push(message);
    }
    return kept.reverse();
  }

  /**
   * The conversation (made on its first exchange, so a failed request leaves no
   * empty row), both sides of the exchange and whatever `also` stores, in one
   * transaction: it is all stored or none of it is.
   */
  async appendExchange(exchange: NewExchange, also?: (tx: ExchangeTx) => Promise<unknown>): Promise<{ conversationId: string; userMessageId: string; replyMessageId: string }> {
    return this.db.transaction(async (tx) => {
      const { agentId, scope, ownerId, guildId } = exchange.conversation;
      const [conversation] = await tx
        .insert(conversations)
        .values({ agentId, scope, ownerId, userId: ownerId, guildId })
        .onConflictDoUpdate({ target: [conversations.agentId, conversations.scope], set: { updatedAt: sql`now()` } })
        .returning({ id: conversations.id });
      if (!conversation) throw new Error('conversation upsert returned nothing');
      const conversationId = conversation.id;
      const stats = exchange.reply.stats;
      const [userRow] = await tx
        .insert(messages)
        .values({
          conversationId,
          role: 'user',
          content: exchange.user.content,
          authorId: exchange.user.authorId ?? null,
          authorName: exchange.user.authorName ?? null,
          externalId: exchange.user.externalId ?? null,
          attachments: exchange.user.attachments?.length ? exchange.user.attachments : null,
          createdAt: sql`clock_timestamp()`,
        })
        .returning({ id: messages.id });
      const [replyRow] = await tx
        .insert(messages)
        .values({
          conversationId,
          role: 'assistant',
          content: exchange.reply.content,
          model: stats?.model ?? null,
          backend: stats?.backend ?? null,
          promptTokens: stats?.promptTokens ?? null,
          completionTokens: stats?.completionTokens ?? null,
          durationMs: stats?.durationMs ?? null,
          ttftMs: stats?.ttftMs ?? null,
          toolCalls: exchange.reply.toolCalls?.length ? exchange.reply.toolCalls : null,
          createdAt: sql`clock_timestamp()`,
          ...(exchange.reply.deleted ? { deletedAt: sql`clock_timestamp()` } : {}),
        })
        .returning({ id: messages.id });
      if (!userRow || !replyRow) throw new Error('message insert returned nothing');
      if (also) await also(tx);
      return { conversationId, userMessageId: userRow.id, replyMessageId: replyRow.id };
    });
  }

  /**
   * Faces tag a stored reply with the id their platform gave it (a Discord
   * message id), and the ids of its later parts when it was split over
   * several messages, so any part leads back to it.
   */
  async setExternalId(messageId: string, externalId: string, laterParts: string[] = []): Promise<void> {
    await this.db
      .update(messages)
      .set({ externalId, externalParts: laterParts.length > 0 ? laterParts : null })
      .where(eq(messages.id, messageId));
  }

  /**
   * Marks stored replies deleted (by id, or by the platform's ids for any of
   * their parts: a moderator may delete any part of a split answer, or several
   * at once): they stay stored, and are never history again.
   */
  async markReplyDeleted(ref: { messageId: string } | { externalIds: string[] }): Promise<boolean> {
    if ('externalIds' in ref && ref.externalIds.length === 0) return false;
    const which = 'messageId' in ref ? eq(messages.id, ref.messageId) : knownAsAny(ref.externalIds);
    const rows = await this.db
      .update(messages)
      .set({ deletedAt: sql`now()` })
      .where(and(which, eq(messages.role, 'assistant'), isNull(messages.deletedAt)))
      .returning({ id: messages.id });
    return rows.length > 0;
  }

  /** Which agent wrote the message a platform knows by `externalId`, so a reply continues with it. */
  async agentForExternalId(externalId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ agentId: conversations.agentId })
      .from(messages)
      .innerJoin(conversations, eq(messages.conversationId, conversations.id))
      .where(and(knownAs(externalId), eq(messages.role, 'assistant')))
      .limit(1);
    return row?.agentId ?? null;
  }

  /**
   * The platform id of the message a stored reply answered (the reply's own
   * platform id given), so a face can follow a conversation back through an
   * answer that its platform does not link to its question (Discord webhooks).
   */
  async questionForExternalId(externalId: string): Promise<string | null> {
    const [reply] = await this.db
      .select({ conversationId: messages.conversationId, createdAt: messages.createdAt })
      .from(messages)
      .where(and(knownAs(externalId), eq(messages.role, 'assistant')))
      .limit(1);
    if (!reply) return null;
    const [question] = await this.db
      .select({ externalId: messages.externalId })
      .from(messages)
      .where(and(eq(messages.conversationId, reply.conversationId), eq(messages.role, 'user'), lt(messages.createdAt, reply.createdAt)))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    return question?.externalId ?? null;
  }

  async listConversations(agentId?: string) {
    const query = this.db.select().from(conversations).orderBy(asc(conversations.createdAt));
    return agentId ? query.where(eq(conversations.agentId, agentId)) : query;
  }

  /** Clears one Discord server's conversations. Returns how many went. */
  async clearGuild(guildId: string): Promise<number> {
    const deleted = await this.db.delete(conversations).where(eq(conversations.guildId, guildId)).returning({ id: conversations.id });
    return deleted.length;
  }

  /** Clears history: one agent's, or everyone's. Returns how many conversations went. */
  async clear(agentId?: string): Promise<number> {
    const deleted = agentId
      ? await this.db.delete(conversations).where(eq(conversations.agentId, agentId)).returning({ id: conversations.id })
      : await this.db.delete(conversations).returning({ id: conversations.id });
    return deleted.length;
  }

  async clearConversations(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.db.delete(conversations).where(inArray(conversations.id, ids));
  }
}

/** The stored message a platform id names: the first message of a reply, or any later part of it. */
function knownAs(externalId: string) {
  return or(eq(messages.externalId, externalId), arrayContains(messages.externalParts, [externalId]))!;
}

/** The stored messages any of these platform ids names, by their first message or a later part. */
function knownAsAny(externalIds: string[]) {
  return or(inArray(messages.externalId, externalIds), arrayOverlaps(messages.externalParts, externalIds))!;
}
