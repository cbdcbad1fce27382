import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { conversations, meetings, memories, messages } from '../db/schema.js';

export interface ForgetResult {
  conversations: number;
  messages: number;
  memories: number;
}

/**
 * Removes everything keyed to a person: their conversations (with the replies
 * in them), their messages in shared scopes, their memories, and their name on
 * meetings they called.
 */
export async function forgetUser(db: Db, userId: string): Promise<ForgetResult> {
  return db.transaction(async (tx) => {
    const gone = await tx.delete(conversations).where(eq(conversations.userId, userId)).returning({ id: conversations.id });
    const said = await tx.delete(messages).where(eq(messages.authorId, userId)).returning({ id: messages.id });
    const remembered = await tx.delete(memories).where(eq(memories.userId, userId)).returning({ id: memories.id });
    await tx.update(meetings).set({ requestedBy: null }).where(eq(meetings.requestedBy, userId));
    return { conversations: gone.length, messages: said.length, memories: remembered.length };
  });
}
