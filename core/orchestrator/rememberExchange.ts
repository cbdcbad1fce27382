import { describeError } from '../errors.js';
import { extractMemories } from '../memory/extraction/extractMemories.js';
import type { RecalledMemory } from '../memory/memoryStore.js';
import type { Caller } from '../memory/scope.js';
import { ownTask } from '../tasks/ownTask.js';
import type { CouncilContext } from './context.js';
import { embeddingFor } from './embeddingFor.js';

const running = new WeakMap<CouncilContext, Set<Promise<void>>>();

/**
 * After an answer is stored: records which memories its prompt held (for "why
 * did you say this?"), then extracts what to remember from the person's
 * message in the background, so the answer never waits for it.
 */
export async function rememberExchange(
  ctx: CouncilContext,
  input: { agentId: string; caller: Caller; message: string; userMessageId: string; replyMessageId: string; used: RecalledMemory[] },
): Promise<void> {
  try {
    await ctx.memories.recordUse(
      input.replyMessageId,
      input.used.map((memory) => memory.id),
    );
  } catch (error) {
    // The answer is stored and shown; only its "why" is missing.
    ctx.log.warn({ err: describeError(error) }, 'could not record which memories an answer used');
  }
  const deps = { llm: ctx.llm, memories: ctx.memories, embed: (text: string) => embeddingFor(ctx, text), embedModel: ctx.config.EMBED_MODEL };
  const tasks = running.get(ctx) ?? new Set<Promise<void>>();
  running.set(ctx, tasks);
  const task = ownTask(ctx.log, 'memory-extraction', () => extractMemories(deps, { agentId: input.agentId, caller: input.caller, message: input.message, sourceMessageId: input.userMessageId }));
  tasks.add(task);
  void task.finally(() => tasks.delete(task));
}

/** Waits for the extractions still running (Council.close calls it before closing the database). */
export async function settleExtractions(ctx: CouncilContext): Promise<void> {
  await Promise.all([...(running.get(ctx) ?? [])]);
}
