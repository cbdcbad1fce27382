import { createHash } from 'node:crypto';

/** Deterministic bag-of-words embeddings: texts sharing words are cosine-close, as with a real model. */
export function fakeEmbedding(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0);
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  for (const word of words) {
    const digest = createHash('sha1').update(word).digest();
    const index = digest.readUInt32BE(0) % dims;
    vector[index] = (vector[index] ?? 0) + (digest[4]! & 1 ? 1 : -1);
  }
  if (words.length === 0) vector[0] = 1;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}
