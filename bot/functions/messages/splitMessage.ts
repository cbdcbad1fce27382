import { emptyBlockOpening, fenceOpenAfter, hasFence } from './fences.js';

/** Room kept on a wrapped line near code for a reopened fence (``` and a language of up to 20 characters) and its closer, twice over. */
const fenceRoom = 64;

/**
 * Splits text into Discord-sized messages (2000 characters) at paragraph, then
 * line, then word boundaries. A code block cut in two is closed at the end of
 * one message and reopened, with its language, in the next, wherever on its
 * line its fence stands; a block the text leaves open is closed in the last
 * message. No message shows half a block.
 */
export function splitMessage(text: string, limit = 2000): string[] {
  if (limit < 100) throw new RangeError(`splitMessage needs room for text; limit ${limit} is too small`);
  const chunks: string[] = [];
  let lines: string[] = [];
  /** The fence open after the last of `lines`, and before it. */
  let open: string | null = null;
  let before: string | null = null;
  const closer = (fence: string | null) => (fence ? '\n```' : '');
  const size = () => lines.join('\n').length;
  const emit = (fence: string | null) => {
    if (lines.some((line) => line.trim() !== '')) chunks.push(lines.join('\n').replace(/\s+$/, '') + closer(fence));
  };

  const flush = (keep: string[] = []) => {
    const last = lines.length - 1;
    const at = open ? emptyBlockOpening(lines[last]!, before) : null;
    if (at !== null && (last > 0 || lines[last]!.slice(0, at).trim() !== '')) {
      // The block opens at the very end of this message: it starts the next one rather than show empty here.
      const opening = lines[last]!.slice(at);
      lines[last] = lines[last]!.slice(0, at);
      emit(null);
      lines = [opening];
    } else {
      emit(open);
      lines = open ? [open, ...keep] : keep;
    }
    before = null;
  };

  for (const raw of text.split('\n')) {
    const width = open || hasFence(raw) ? limit - fenceRoom : limit - 16;
    for (const line of hardWrap(raw, width)) {
      const after = fenceOpenAfter(line, open);
      if (lines.length > 0 && size() + 1 + line.length + closer(after).length > limit) {
        const blank = open ? -1 : lines.lastIndexOf('');
        const tail = blank > 0 ? lines.slice(blank + 1) : [];
        if (blank > 0 && lines.slice(0, blank).join('\n').length > limit / 2 && !tail.some(hasFence)) {
          lines = lines.slice(0, blank);
          flush(tail);
          // The paragraph carried over may itself leave no room for this line.
          if (size() + 1 + line.length + closer(after).length > limit) flush();
        } else {
          flush();
        }
      }
      before = open;
      lines.push(line);
      open = after;
    }
  }
  emit(open);
  // Discord refuses anything longer: whatever the text looked like, no chunk leaves here over the limit.
  return chunks.flatMap((chunk) => (chunk.length <= limit ? [chunk] : hardWrap(chunk, limit)));
}

/** Cuts a line longer than `max` at spaces where it can, never inside a run of backticks (half a fence is no fence). */
function hardWrap(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    let cut = space > max / 2 ? space : max;
    const run = rest[cut] === '`' ? /`+$/.exec(rest.slice(0, cut)) : null;
    if (run && run.index > 0) cut = run.index;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  pieces.push(rest);
  return pieces;
}
