import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { toolApprovalQueue } from '../db/schema.js';
import type { Caller } from '../memory/scope.js';
import type { ApprovalAnswer, ApprovalRequest } from './approvalPort.js';

export type QueuedStatus = (typeof toolApprovalQueue.$inferSelect)['status'];

/** A question a bot process took from the queue to put in Discord. */
export interface ClaimedApproval {
  id: string;
  request: Omit<ApprovalRequest, 'signal'>;
}

/**
 * The rows of tool_approval_queue. Every change of status is one conditional
 * UPDATE, so when the asking process gives up and a bot claims at the same
 * moment, or two bots claim the same row, the database decides who won.
 */
export class ApprovalQueueStore {
  constructor(private readonly db: Db) {}

  /** Queues a question; a bot must claim it within `claimMs`. Rows a dead process left behind are swept here. */
  async add(request: Omit<ApprovalRequest, 'signal'>, claimMs: number): Promise<string> {
    await this.db.delete(toolApprovalQueue).where(lt(toolApprovalQueue.claimBy, sql`now() - interval '1 hour'`));
    const [row] = await this.db
      .insert(toolApprovalQueue)
      .values({
        tool: request.tool,
        arguments: request.arguments,
        agentId: request.agent,
        requester: { ...request.requester },
        requesterId: request.requester.ownerId,
        mode: request.mode,
        timeoutMs: request.timeoutMs,
        claimBy: sql`now() + ${`${claimMs} milliseconds`}::interval`,
      })
      .returning({ id: toolApprovalQueue.id });
    return row!.id;
  }

  /** Takes the oldest question nobody has claimed while its claim window is open, or null. */
  async claim(askedBy: string): Promise<ClaimedApproval | null> {
    const [row] = await this.db
      .update(toolApprovalQueue)
      .set({ status: 'asking', askedBy })
      .where(
        eq(
          toolApprovalQueue.id,
          sql`(select id from ${toolApprovalQueue} where status = 'waiting' and claim_by > now() order by created_at limit 1 for update skip locked)`,
        ),
      )
      .returning();
    if (!row) return null;
    return {
      id: row.id,
      request: { tool: row.tool, arguments: row.arguments, agent: row.agentId, requester: row.requester as unknown as Caller, mode: row.mode, timeoutMs: row.timeoutMs },
    };
  }

  /** Moves the row to `status` if it is still in one of `from`; true when this call made the change. */
  async settle(id: string, status: ApprovalAnswer | 'cancelled', from: readonly QueuedStatus[]): Promise<boolean> {
    const changed = await this.db
      .update(toolApprovalQueue)
      .set({ status })
      .where(and(eq(toolApprovalQueue.id, id), inArray(toolApprovalQueue.status, [...from])))
      .returning({ id: toolApprovalQueue.id });
    return changed.length > 0;
  }

  /** The row's status, or null when it is gone (deleted by forgetting the person who asked). */
  async status(id: string): Promise<QueuedStatus | null> {
    const [row] = await this.db.select({ status: toolApprovalQueue.status }).from(toolApprovalQueue).where(eq(toolApprovalQueue.id, id));
    return row?.status ?? null;
  }

  /** Of these ids, those no longer being asked (answered elsewhere, cancelled or gone). */
  async notAsking(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const asking = await this.db
      .select({ id: toolApprovalQueue.id })
      .from(toolApprovalQueue)
      .where(and(inArray(toolApprovalQueue.id, [...ids]), eq(toolApprovalQueue.status, 'asking')));
    const still = new Set(asking.map((row) => row.id));
    return ids.filter((id) => !still.has(id));
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(toolApprovalQueue).where(eq(toolApprovalQueue.id, id));
  }
}
