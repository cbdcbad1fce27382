/**
 * Hides reasoning-model <think> sections, including one still open while the
 * answer streams in.
 */
export function stripThink(text: string): string {
  return text
    .replace(/<think>[\s\S]*?<\/think>/gi, '')
    .replace(/<think>[\s\S]*$/i, '')
    .replace(/^\s+/, '');
}
