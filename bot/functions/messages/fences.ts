/**
 * Discord opens a code block at any ``` in a message, not only at the start
 * of a line ("Run this: ```bash"), and closes it at the next one. A run of
 * three or more backticks is one fence; the word after an opening fence, if
 * nothing else follows it on the line, is the block's language.
 */
const fenceRun = /`{3,}/g;
/** Longer words after a fence are not taken for a language: a reopened fence stays short. */
const languageTag = /^[\w+#.-]{0,20}$/;

/** The fence still open after `line`, given the one open before it: ``` plus the block's language, or null. */
export function fenceOpenAfter(line: string, openBefore: string | null): string | null {
  let open = openBefore;
  for (const run of line.matchAll(fenceRun)) {
    const rest = line.slice(run.index + run[0].length).trim();
    open = open ? null : '```' + (languageTag.test(rest) ? rest : '');
  }
  return open;
}

/** Where `line` opens a block that holds nothing yet (only a language may follow the fence), given the one open before it; else null. */
export function emptyBlockOpening(line: string, openBefore: string | null): number | null {
  const runs = [...line.matchAll(fenceRun)];
  const last = runs.at(-1);
  if (!last || !fenceOpenAfter(line, openBefore)) return null;
  return languageTag.test(line.slice(last.index + last[0].length).trim()) ? last.index : null;
}

export function hasFence(line: string): boolean {
  return line.includes('```');
}

/** The text with a block it leaves open closed, so that what follows it is not shown as code. */
export function closeOpenFence(text: string): string {
  const open = text.split('\n').reduce<string | null>((state, line) => fenceOpenAfter(line, state), null);
  return open ? `${text.replace(/\s+$/, '')}\n\`\`\`` : text;
}
