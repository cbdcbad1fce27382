/** Roughly four characters a token for English prose: good enough to budget a context window. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
