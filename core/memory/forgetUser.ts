import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { actionItems, conversations, meetingInbox, meetings, meetingTurns, memories, messages, toolApprovalQueue } from '../db/schema.js';
import type { Minutes } from '../meetings/engine/minutesSchema.js';

/** What a forgotten person's turn in a meeting reads from then on. */
export const removedTurnText = "[removed at the person's request]";

/** What was removed, each thing counted once. */
export interface ForgetResult {
  conversations: number;
  /** Every message deleted: those in their conversations and those they wrote in shared ones. */
  messages: number;
  memories: number;
  /** Their turns in meetings: kept in place with the text replaced and no speaker, so turn numbers stay contiguous. */
  meetingTurns: number;
  /** Their messages to meetings that had not become turns yet. */
  meetingInbox: number;
  actionItems: number;
}

/**
 * Removes everything keyed to a person (`ownerId`, e.g. `discord:<user>`):
 * their conversations (with the replies in them), their messages in shared
 * scopes, their memories, their waiting messages in meetings and the action
 * items assigned to them (in the minutes too). Their turns in meetings keep
 * their numbers, which the minutes cite and SSE replays by, but say only
 * that they were removed and name no one. Their name comes off meetings they
 * called or items they completed. Rows written before owner ids were
 * namespaced carry the bare platform id, so that is matched too.
 */
export async function forgetUser(db: Db, ownerId: string): Promise<ForgetResult> {
  const ids = [...new Set([ownerId, ownerId.replace(/^discord:/, '')])];
  return db.transaction(async (tx) => {
    const theirs = or(inArray(conversations.ownerId, ids), inArray(conversations.userId, ids));
    // Deleted before their conversations, whose cascade would take these messages uncounted.
    const said = await tx
      .delete(messages)
      .where(or(inArray(messages.authorId, ids), inArray(messages.conversationId, tx.select({ id: conversations.id }).from(conversations).where(theirs))))
      .returning({ id: messages.id });
    const gone = await tx.delete(conversations).where(theirs).returning({ id: conversations.id });
    const remembered = await tx
      .delete(memories)
      .where(or(inArray(memories.ownerId, ids), inArray(memories.userId, ids)))
      .returning({ id: memories.id });
    const turns = await tx
      .update(meetingTurns)
      .set({ content: removedTurnText, speakerId: null, speakerName: null, externalId: null })
      .where(inArray(meetingTurns.speakerId, ids))
      .returning({ id: meetingTurns.id });
    // A message already stored as a turn is counted with the turns.
    const inbox = await tx.delete(meetingInbox).where(inArray(meetingInbox.speakerId, ids)).returning({ turnSeq: meetingInbox.turnSeq });
    // Their tool calls waiting for an approval are not kept data but hold their name: gone, and the call is not run.
    await tx.delete(toolApprovalQueue).where(inArray(toolApprovalQueue.requesterId, ids));
    const items = await tx.delete(actionItems).where(and(eq(actionItems.ownerKind, 'human'), inArray(actionItems.owner, ids))).returning({ id: actionItems.id });
    const minutesWithTheirItems = await tx
      .select({ id: meetings.id, minutes: meetings.minutes })
      .from(meetings)
      .where(or(...ids.map((id) => sql`${meetings.minutes} -> 'action_items' @> ${JSON.stringify([{ owner: id }])}::jsonb`)));
    for (const row of minutesWithTheirItems) {
      const minutes = row.minutes as Minutes;
      await tx
        .update(meetings)
        .set({ minutes: { ...minutes, action_items: minutes.action_items.filter((item) => !ids.includes(item.owner)) } })
        .where(eq(meetings.id, row.id));
    }
    await tx.update(actionItems).set({ doneBy: null }).where(inArray(actionItems.doneBy, ids));
    await tx.update(meetings).set({ requestedBy: null }).where(inArray(meetings.requestedBy, ids));
    await tx.update(meetings).set({ ownerId: null }).where(inArray(meetings.ownerId, ids));
    return {
      conversations: gone.length,
      messages: said.length,
      memories: remembered.length,
      meetingTurns: turns.length,
      meetingInbox: inbox.filter((message) => message.turnSeq === null).length,
      actionItems: items.length,
    };
  });
}
