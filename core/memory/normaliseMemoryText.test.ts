import { describe, expect, it } from 'vitest';
import { memoryHash, normaliseMemoryText } from './normaliseMemoryText.js';

describe('normaliseMemoryText', () => {
  it('ignores case, spacing, punctuation and a "who said" prefix', () => {
    expect(normaliseMemoryText('Ana said:  We use   Postgres 16!')).toBe('we use postgres 16');
    expect(memoryHash('We use Postgres 16.')).toBe(memoryHash('we use postgres 16'));
  });

  it('keeps numbers, versions and words that change the meaning', () => {
    expect(normaliseMemoryText('We run Node 20.11 on k8s')).toBe('we run node 20.11 on k8s');
    expect(memoryHash('We use Postgres 16')).not.toBe(memoryHash('We use Postgres 14'));
    expect(memoryHash('We use C++')).not.toBe(memoryHash('We use C'));
  });
});
