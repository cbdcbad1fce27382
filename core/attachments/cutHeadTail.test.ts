import { describe, expect, it } from 'vitest';
import { cutHeadTail } from './cutHeadTail.js';

const log = Array.from({ length: 1000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');

describe('cutHeadTail', () => {
  it.each([
    { name: 'short text is kept whole', text: 'a\nb\nc', max: 100, whole: true },
    { name: 'text exactly at the limit is kept whole', text: 'x'.repeat(50), max: 50, whole: true },
    { name: 'a long log keeps its first and last lines', text: log, max: 2_000, whole: false },
    { name: 'one huge line is cut where it falls', text: 'y'.repeat(10_000), max: 500, whole: false },
  ])('$name', ({ text, max, whole }) => {
    const cut = cutHeadTail(text, max);
    expect(cut.text.length).toBeLessThanOrEqual(max);
    if (whole) {
      expect(cut).toEqual({ text, omittedChars: 0, omittedLines: 0 });
      return;
    }
    expect(cut.omittedChars).toBeGreaterThan(0);
    expect(cut.text).toMatch(/\[… [\d,]+ lines \([\d,]+ characters\) left out of the middle …\]/);
    expect(cut.text.startsWith(text.slice(0, 20))).toBe(true);
    expect(cut.text.endsWith(text.slice(-20))).toBe(true);
  });

  it('cuts the log at line boundaries and counts the lines left out', () => {
    const cut = cutHeadTail(log, 2_000);
    const lines = cut.text.split('\n');
    expect(lines[0]).toBe('line 0 ' + 'x'.repeat(40));
    expect(lines.at(-1)).toBe('line 999 ' + 'x'.repeat(40));
    const keptLines = lines.filter((line) => line.startsWith('line ')).length;
    expect(keptLines + cut.omittedLines).toBe(1000);
    // What is kept plus what is said to be left out is the whole text.
    const kept = cut.text.replace(/\[… [^\]]+\]\n/, '');
    expect(kept.length + cut.omittedChars).toBe(log.length);
  });
});
