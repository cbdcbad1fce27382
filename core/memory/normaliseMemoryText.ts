import { createHash } from 'node:crypto';

/**
 * What makes two memories "the same thing said again": case, spacing,
 * punctuation and a leading "Ana said:" do not count; words and numbers do.
 */
export function normaliseMemoryText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^[^:\n]{1,60} said:\s*/, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}'.+#/-]+/gu, ' ')
    .replace(/(?<![\p{N}])[.]+|[.]+(?![\p{N}])/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The dedup key of a memory: sha256 of its normalised text. */
export function memoryHash(text: string): string {
  return createHash('sha256').update(normaliseMemoryText(text)).digest('hex');
}
