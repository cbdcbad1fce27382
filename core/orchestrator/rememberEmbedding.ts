import type { CouncilContext } from './context.js';

let warned = false;

/**
 * The message's embedding for recall, or null when the embedding model is not
 * there: recall then falls back to full-text search instead of failing the chat.
 */
export async function embeddingFor(ctx: CouncilContext, text: string, signal?: AbortSignal): Promise<number[] | null> {
  try {
    const [embedding] = await ctx.llm.embed([text], signal);
    return embedding ?? null;
  } catch (error) {
    if (signal?.aborted) throw error;
    if (!warned) {
      warned = true;
      ctx.log.warn({ reason: (error as Error).message }, `embedding model unavailable; recall uses full-text search (run: ollama pull ${ctx.config.EMBED_MODEL})`);
    }
    return null;
  }
}
