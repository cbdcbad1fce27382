/**
 * `text` within `maxChars`: the head and the tail kept whole line by line, the
 * middle replaced by one visible line saying how much was left out, so the
 * model (and the person reading its answer) knows it did not see everything.
 * Logs and diffs carry their context at the start and their error at the end.
 */
export function cutHeadTail(text: string, maxChars: number): { text: string; omittedChars: number; omittedLines: number } {
  if (text.length <= maxChars) return { text, omittedChars: 0, omittedLines: 0 };
  const noteRoom = 80;
  const keep = Math.max(0, maxChars - noteRoom);
  const headChars = Math.ceil(keep * 0.6);
  const tailChars = keep - headChars;
  let head = text.slice(0, headChars);
  let tail = tailChars > 0 ? text.slice(text.length - tailChars) : '';
  // Whole lines read better than a cut mid-word; a single huge line is cut where it falls.
  const headBreak = head.lastIndexOf('\n');
  if (headBreak > headChars / 2) head = head.slice(0, headBreak + 1);
  const tailBreak = tail.indexOf('\n');
  if (tailBreak >= 0 && tailBreak < tail.length / 2) tail = tail.slice(tailBreak + 1);
  const omitted = text.slice(head.length, text.length - tail.length);
  const omittedLines = omitted.split('\n').length - 1;
  const note = `[… ${omittedLines.toLocaleString('en')} lines (${omitted.length.toLocaleString('en')} characters) left out of the middle …]`;
  return { text: `${head}${head.endsWith('\n') || head === '' ? '' : '\n'}${note}\n${tail}`, omittedChars: omitted.length, omittedLines };
}
