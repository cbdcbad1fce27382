/** Words too common to say anything about what a text is about. */
const stopWords = new Set('a an and are as at be by for from has have how i in is it its of on or that the this to was we what when where which who why will with you your'.split(' '));

/** FNV-1a: cheap and stable across runs and machines. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => !stopWords.has(word))
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
}

/**
 * Deterministic bag-of-words embedding (words and word pairs hashed into
 * `dims` signed buckets, L2-normalised): texts that share words are
 * cosine-close and unrelated texts are near orthogonal, as with a real model.
 */
export function fakeEmbedding(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0);
  const add = (feature: string, weight: number) => {
    const h = hash(feature);
    vector[h % dims]! += h & 0x80000000 ? -weight : weight;
  };
  const tokens = words(text);
  tokens.forEach((word, i) => {
    add(word, 1);
    if (i > 0) add(`${tokens[i - 1]} ${word}`, 0.5);
  });
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((x) => x / norm);
}
