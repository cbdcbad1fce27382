import { extractMemories } from '../memory/extraction/extractMemories.js';
import type { Caller } from '../memory/scope.js';
import type { CouncilContext } from './context.js';
import { embeddingFor } from './embeddingFor.js';

/**
 * Where Council listens without replying: what a person said becomes
 * memories of the colleague who answers there, through the same extraction
 * as after a chat (with no stored message to cite as its source).
 */
export async function listenTo(ctx: CouncilContext, input: { agentId: string; caller: Caller; message: string }): Promise<void> {
  const deps = { llm: ctx.llm, memories: ctx.memories, embed: (text: string) => embeddingFor(ctx, text), embedModel: ctx.config.EMBED_MODEL };
  await extractMemories(deps, { ...input, sourceMessageId: null });
}
