import type { ConversationStore } from './conversationStore.js';

/**
 * What a chat face needs to know about messages it posted: which colleague
 * wrote one (a reply to it continues with that colleague), and what it answered.
 */
export class ConversationsService {
  constructor(private readonly store: ConversationStore) {}

  /** The colleague whose stored reply carries this platform message id. */
  agentForMessage(externalId: string): Promise<string | null> {
    return this.store.agentForExternalId(externalId);
  }

  /** The person's question that a stored reply (by platform message id) answered. */
  questionForMessage(externalId: string): ReturnType<ConversationStore['questionForExternalId']> {
    return this.store.questionForExternalId(externalId);
  }

  /** Tags a stored reply (a turn_done event's messageId) with the platform's message id, and its later parts' when it was split. */
  tagMessage(messageId: string, externalId: string, laterParts: string[] = []): Promise<void> {
    return this.store.setExternalId(messageId, externalId, laterParts);
  }

  /**
   * Someone deleted a reply where it was shown (a moderator, in Discord): the
   * stored reply is marked deleted and leaves the conversation's history. By
   * the stored id (a turn_done event's messageId) or the platform's ids of
   * the messages deleted (any part of a split reply, a bulk deletion's all);
   * false when no undeleted reply has one of them.
   */
  replyDeleted(ref: { messageId: string } | { externalIds: string[] }): Promise<boolean> {
    return this.store.markReplyDeleted(ref);
  }
}
