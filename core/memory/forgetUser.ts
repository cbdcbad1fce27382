import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { actionItems, conversations, meetingInbox, meetings, meetingTurns, memories, messages } from '../db/schema.js';

export interface ForgetResult {
  conversations: number;
  messages: number;
  memories: number;
  meetingTurns: number;
  meetingInbox: number;
  actionItems: number;
}

/**
 * Removes everything keyed to a person (`ownerId`, e.g. `discord:<user>`):
 * their conversations (with the replies in them), their messages in shared
 * scopes, their memories, their own turns and waiting messages in meetings and
 * the action items assigned to them; their name comes off meetings they called
 * or completed items on. Rows written before owner ids were namespaced carry
 * the bare platform id, so that is matched too.
 */
export async function forgetUser(db: Db, ownerId: string): Promise<ForgetResult> {
  const ids = [...new Set([ownerId, ownerId.replace(/^discord:/, '')])];
  return db.transaction(async (tx) => {
    const gone = await tx
      .delete(conversations)
      .where(or(inArray(conversations.ownerId, ids), inArray(conversations.userId, ids)))
      .returning({ id: conversations.id });
    const said = await tx.delete(messages).where(inArray(messages.authorId, ids)).returning({ id: messages.id });
    const remembered = await tx
      .delete(memories)
      .where(or(inArray(memories.ownerId, ids), inArray(memories.userId, ids)))
      .returning({ id: memories.id });
    const turns = await tx.delete(meetingTurns).where(inArray(meetingTurns.speakerId, ids)).returning({ id: meetingTurns.id });
    const inbox = await tx.delete(meetingInbox).where(inArray(meetingInbox.speakerId, ids)).returning({ id: meetingInbox.id });
    const items = await tx.delete(actionItems).where(and(eq(actionItems.ownerKind, 'human'), inArray(actionItems.owner, ids))).returning({ id: actionItems.id });
    await tx.update(actionItems).set({ doneBy: null }).where(inArray(actionItems.doneBy, ids));
    await tx.update(meetings).set({ requestedBy: null }).where(inArray(meetings.requestedBy, ids));
    await tx.update(meetings).set({ ownerId: null }).where(inArray(meetings.ownerId, ids));
    return {
      conversations: gone.length,
      messages: said.length,
      memories: remembered.length,
      meetingTurns: turns.length,
      meetingInbox: inbox.length,
      actionItems: items.length,
    };
  });
}
