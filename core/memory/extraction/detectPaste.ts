import { createHash } from 'node:crypto';

export interface Paste {
  what: 'code' | 'log' | 'document';
  /** One line that says what it is, from its first meaningful line. */
  title: string;
  /** sha256 of the pasted text, so the same paste is recognised again. */
  hash: string;
}

const codeLine = /^\s*(import |export |const |let |var |function |def |class |public |private |return |if\s*\(|for\s*\(|#include|package |fn |SELECT |INSERT |UPDATE |CREATE |[{}();]\s*$)|[;{}]\s*$|=>|^\s*(\+|-|@@) /i;
const logLine = /^\s*(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{2}:\d{2}:\d{2}|\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\]?\b|at [\w.$<>]+ ?\(|Traceback|\s+at |Caused by:|Exception|E\d{4} )/;

/**
 * Tells a paste (code, a log or stack trace, a long document) from something a
 * person says: a paste is kept as a reference, never as a fact about anyone.
 * A fenced block is a paste; otherwise the share of code-like or log-like
 * lines decides, and long multi-paragraph text is a document.
 */
export function detectPaste(text: string): Paste | null {
  const trimmed = text.trim();
  const fenced = /```[\s\S]*?```/.test(trimmed);
  const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
  const code = lines.filter((line) => codeLine.test(line)).length;
  const log = lines.filter((line) => logLine.test(line)).length;
  let what: Paste['what'] | null = null;
  if (fenced || (lines.length >= 3 && code / lines.length >= 0.5)) what = log > code ? 'log' : 'code';
  else if (lines.length >= 3 && log / lines.length >= 0.5) what = 'log';
  else if (trimmed.length >= 1_200 || (lines.length >= 8 && trimmed.length >= 600)) what = 'document';
  if (!what) return null;
  return { what, title: titleOf(lines, what), hash: createHash('sha256').update(trimmed).digest('hex') };
}

function titleOf(lines: string[], what: Paste['what']): string {
  const first = lines.find((line) => !/^\s*```/.test(line) && line.trim().length > 3) ?? what;
  const clean = first.trim().replace(/\s+/g, ' ');
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}
