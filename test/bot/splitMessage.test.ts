import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../bot/functions/messages/splitMessage.js';
import { stripThink } from '../../bot/functions/messages/stripThink.js';

/** Fences as Discord sees them: every run of three or more backticks, wherever it stands. */
const fences = (chunk: string) => (chunk.match(/`{3,}/g) ?? []).length;

/**
 * True when `parts`, less the fences the splitter added (a closing ``` as the
 * last line of a part cut inside a block, and the reopening line that starts
 * the next part), hold the characters of `input` in order; whitespace may
 * differ only where a part was cut. Whether a cut fell inside a block is read
 * from the input's own fences, so an original closing fence at the end of a
 * part is told apart from an added one by trying both.
 */
function rejoinsTo(parts: string[], input: string): boolean {
  const kept: number[] = [];
  const openBefore: boolean[] = [];
  const runEnds = [...input.matchAll(/`{3,}/g)].map((run) => run.index + run[0].length);
  for (let i = 0; i < input.length; i++) {
    if (/\s/.test(input[i]!)) continue;
    kept.push(i);
    openBefore.push(runEnds.filter((end) => end <= i).length % 2 === 1);
  }
  openBefore.push(runEnds.length % 2 === 1);
  const whole = kept.map((i) => input[i]).join('');
  const bare = (text: string) => text.replace(/\s+/g, '');
  const from = (index: number, at: number): boolean => {
    if (index === parts.length) return at === whole.length;
    let lines = parts[index]!.split('\n');
    if (index > 0 && openBefore[at]) {
      if (!/^```[\w+#.-]*$/.test(lines[0]!)) return false;
      lines = lines.slice(1);
    }
    const body = bare(lines.join('\n'));
    if (whole.startsWith(body, at) && from(index + 1, at + body.length)) return true;
    const inner = body.slice(0, -3);
    return lines.at(-1) === '```' && whole.startsWith(inner, at) && openBefore[at + inner.length] === true && from(index + 1, at + inner.length);
  };
  return from(0, 0);
}

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

  const steps = (count: number, word = 'step') => Array.from({ length: count }, (_, i) => `${word}${i} --flag value`);
  it.each([
    {
      name: 'a block opened in the middle of a line is closed and reopened with its language',
      text: ['Run this: ```bash', ...steps(6), '```', 'Done.'].join('\n'),
      parts: [
        ['Run this: ```bash', ...steps(6).slice(0, 4), '```'].join('\n'),
        ['```bash', ...steps(6).slice(4), '```', 'Done.'].join('\n'),
      ],
    },
    {
      name: 'a block closed in the middle of a line, prose after it, is reopened up to that fence',
      text: ['Here: ```py', ...steps(5, 'x'), 'end``` and then some prose after it.'].join('\n'),
      parts: [['Here: ```py', ...steps(5, 'x'), '```'].join('\n'), '```py\nend``` and then some prose after it.'],
    },
    {
      name: 'a block opened and closed within one line needs nothing added',
      text: `${'word '.repeat(15)}\`\`\`inline\`\`\` ${'more '.repeat(10)}`,
      parts: [`${'word '.repeat(7).trim()}\n${'word '.repeat(7).trim()}`, `word \`\`\`inline\`\`\` more more more\n${'more '.repeat(7).trim()}`],
    },
    {
      name: 'a fence that would open a block at the very end of a part starts the next part instead of showing empty',
      text: `${'a'.repeat(80)} \`\`\`ts\n${'b'.repeat(60)}\n\`\`\``,
      parts: [`${'a'.repeat(36)}\n${'a'.repeat(36)}\n${'a'.repeat(8)}`, `\`\`\`ts\n${'b'.repeat(36)}\n${'b'.repeat(24)}\n\`\`\``],
    },
    {
      name: 'code on the opening line is no language: the block is reopened bare',
      text: ['See ```const a = 1;', ...steps(6, 'const b'), '```'].join('\n'),
      parts: [['See ```const a = 1;', ...steps(6, 'const b').slice(0, 3), '```'].join('\n'), ['```', ...steps(6, 'const b').slice(3), '```'].join('\n')],
    },
    { name: 'a block the text leaves open (a stream mid-answer) is closed', text: 'Start ```sql\nselect 1;', parts: ['Start ```sql\nselect 1;\n```'] },
  ])('$name', ({ text, parts }) => {
    const chunks = splitMessage(text, 100);
    expect(chunks).toEqual(parts);
    expect(rejoinsTo(chunks, text)).toBe(true);
  });

  it('the rejoin check itself refuses a lost character, a lost fence and an added one', () => {
    const text = 'Run: ```sh\nls\npwd\n```';
    expect(rejoinsTo(['Run: ```sh\nls\n```', '```sh\npwd\n```'], text)).toBe(true);
    expect(rejoinsTo(['Run: ```sh\nls\n```', '```sh\npw\n```'], text)).toBe(false);
    expect(rejoinsTo(['Run: ```sh\nls\n```', '```sh\npwd'], text)).toBe(false);
    expect(rejoinsTo(['Run: ```sh\nls\n```', '```sh\n```\npwd\n```'], text)).toBe(false);
  });

  it('never cuts a long line inside a fence: three backticks stay one fence', () => {
    for (let shift = 0; shift < 8; shift++) {
      const text = `${'y'.repeat(60 + shift)}\`\`\`js\n${'z'.repeat(30)}\n\`\`\``;
      const chunks = splitMessage(text, 100);
      for (const chunk of chunks) expect(chunk.match(/`+/g)?.every((run) => run.length === 3) ?? true).toBe(true);
      expect(rejoinsTo(chunks, text)).toBe(true);
    }
  });

  it('for random answers with fences anywhere on a line, every part is within the limit, holds whole blocks, and the parts rejoin to the text', () => {
    let seed = 11;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pieces = [
      '',
      'Run this: ```bash',
      '```ts',
      '```',
      'return value;``` and that is the whole function.',
      'Use ```npm ci``` rather than install.',
      'See ```const first = 1;',
      '  indented(code, here); // a comment that is fairly long to fill the room',
      'para '.repeat(120).trim(),
      '- ' + 'list '.repeat(60).trim(),
      'x'.repeat(700),
    ];
    let cutInsideBlock = 0;
    for (let run = 0; run < 400; run++) {
      const text = Array.from({ length: 3 + Math.floor(random() * 14) }, () => pieces[Math.floor(random() * pieces.length)]).join('\n');
      for (const limit of [100, 333, 2000]) {
        const chunks = splitMessage(text, limit);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(limit);
          expect(fences(chunk) % 2, chunk).toBe(0);
        }
        expect(rejoinsTo(chunks, text), JSON.stringify({ text, limit })).toBe(true);
        cutInsideBlock += chunks.filter((chunk, index) => index > 0 && /^```[\w+#.-]*\n/.test(chunk) && chunks[index - 1]!.endsWith('\n```')).length;
      }
    }
    // The property means something only if many cuts fell inside blocks.
    expect(cutInsideBlock).toBeGreaterThan(100);
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
