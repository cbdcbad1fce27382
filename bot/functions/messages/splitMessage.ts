const fenceLine = /^\s*(```+|~~~+)/;

/**
 * Splits text into Discord-sized messages (2000 characters) at paragraph, then
 * line, then word boundaries. A code block cut in two is closed at the end of
 * one message and reopened, with its language, in the next: no message shows
 * half a fence.
 */
export function splitMessage(text: string, limit = 2000): string[] {
  if (limit < 100) throw new RangeError(`splitMessage needs room for text; limit ${limit} is too small`);
  const chunks: string[] = [];
  let lines: string[] = [];
  let open: string | null = null;
  const closer = (opener: string | null) => (opener ? `\n${fenceLine.exec(opener)![1]}` : '');
  const size = () => lines.join('\n').length;

  const flush = (keep: string[] = []) => {
    if (lines.some((line) => line.trim() !== '')) chunks.push(lines.join('\n').replace(/\s+$/, '') + closer(open));
    lines = open ? [open, ...keep] : keep;
  };

  for (const raw of text.split('\n')) {
    const width: number = limit - 2 * (open?.length ?? 0) - 16;
    for (const line of hardWrap(raw, width)) {
      const after: string | null = fenceLine.test(line) ? (open ? null : line.trim()) : open;
      if (lines.length > 0 && size() + 1 + line.length + closer(after).length > limit) {
        const blank = open ? -1 : lines.lastIndexOf('');
        const tail = blank > 0 ? lines.slice(blank + 1) : [];
        if (blank > 0 && lines.slice(0, blank).join('\n').length > limit / 2 && !tail.some((l) => fenceLine.test(l))) {
          lines = lines.slice(0, blank);
          flush(tail);
          // The paragraph carried over may itself leave no room for this line.
          if (size() + 1 + line.length + closer(after).length > limit) flush();
        } else {
          flush();
        }
      }
      lines.push(line);
      open = after;
    }
  }
  if (lines.some((line) => line.trim() !== '')) chunks.push(lines.join('\n').replace(/\s+$/, ''));
  // Discord refuses anything longer: whatever the text looked like, no chunk leaves here over the limit.
  return chunks.flatMap((chunk) => (chunk.length <= limit ? [chunk] : hardWrap(chunk, limit)));
}

function hardWrap(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const cut = space > max / 2 ? space : max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  pieces.push(rest);
  return pieces;
}
