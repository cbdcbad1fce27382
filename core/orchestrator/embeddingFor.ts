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
      const missing = (error as { code?: string }).code === 'model_not_found';
      ctx.log.warn({ reason: (error as Error).message }, missing ? `embedding model missing; recall uses full-text search until you run: ollama pull ${ctx.config.EMBED_MODEL}` : 'embeddings unavailable; recall uses full-text search for now');
    }
    return null;
  }
}
