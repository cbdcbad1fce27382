import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../bot/functions/messages/splitMessage.js';
import { stripThink } from '../../bot/functions/messages/stripThink.js';

const fences = (chunk: string) => chunk.split('\n').filter((l) => /^\s*```/.test(l)).length;

describe('splitMessage', () => {
  it('leaves a short message alone', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
    expect(splitMessage('')).toEqual([]);
  });

  it('splits long prose at paragraph boundaries within the limit', () => {
    const paragraph = 'word '.repeat(150).trim();
    const text = Array.from({ length: 6 }, () => paragraph).join('\n\n');
    const chunks = splitMessage(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2000);
      expect(chunk.startsWith('word')).toBe(true);
      expect(chunk.endsWith('word')).toBe(true);
    }
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('never leaves a code fence open: a split block is closed and reopened with its language', () => {
    const code = Array.from({ length: 120 }, (_, i) => `  const value${i} = compute(${i}); // line ${i}`).join('\n');
    const text = `Here is the code:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all.`;
    const chunks = splitMessage(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2000);
      expect(fences(chunk) % 2).toBe(0);
    }
    expect(chunks[1]!.startsWith('```ts')).toBe(true);
    const rejoined = chunks.join('\n').split('\n').filter((l) => !/^```/.test(l));
    expect(rejoined.filter((l) => l.includes('const value')).length).toBe(120);
  });

  it('hard-wraps a single enormous line', () => {
    const chunks = splitMessage('x'.repeat(4500));
    expect(chunks.map((c) => c.length)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(chunks.join('')).toBe('x'.repeat(4500));
    expect(chunks.every((c) => c.length <= 2000)).toBe(true);
  });
});

describe('stripThink', () => {
  it('hides finished and unfinished think sections', () => {
    expect(stripThink('<think>hmm, let me see</think>\nThe answer is 4.')).toBe('The answer is 4.');
    expect(stripThink('<think>still thinking')).toBe('');
    expect(stripThink('No thinking here.')).toBe('No thinking here.');
  });

  it('never emits more than the limit after a long paragraph, a blank line and a long list item (was 2,225)', () => {
    const text = `${'para '.repeat(300).trim()}\n\n- ${'item '.repeat(380).trim()}\n- ${'next '.repeat(60).trim()}`;
    const chunks = splitMessage(text);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(2000);
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('keeps every chunk within the limit for random mixes of paragraphs, lists, fences and long words', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const pieces = ['', '- ' + 'list '.repeat(200), 'para '.repeat(350), '```ts', 'code();'.repeat(30), '```', 'x'.repeat(2500), '> quote '.repeat(40)];
    for (let run = 0; run < 300; run++) {
      const text = Array.from({ length: 3 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('\n');
      for (const limit of [2000, 1950]) for (const chunk of splitMessage(text, limit)) expect(chunk.length).toBeLessThanOrEqual(limit);
    }
  });
});
