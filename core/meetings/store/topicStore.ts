import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { meetingTopics } from '../../db/schema.js';

export type TopicRow = typeof meetingTopics.$inferSelect;
export type ClosedBy = TopicRow['closedBy'];

/** How each topic of a meeting ended: written once, when the topic closes, before its summary. */
export class TopicStore {
  constructor(private readonly db: Db) {}

  /** The first close wins: a resumed runner never rewrites why a topic ended. */
  async close(meetingId: string, topicIndex: number, closedBy: ClosedBy, reason: string): Promise<void> {
    await this.db.insert(meetingTopics).values({ meetingId, topicIndex, closedBy, reason }).onConflictDoNothing();
  }

  list(meetingId: string): Promise<TopicRow[]> {
    return this.db.select().from(meetingTopics).where(eq(meetingTopics.meetingId, meetingId)).orderBy(asc(meetingTopics.topicIndex));
  }
}
