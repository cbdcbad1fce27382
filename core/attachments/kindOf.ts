import { extname } from 'node:path';
import { CouncilError } from '../errors.js';
import type { AttachmentKind } from './attachmentTypes.js';

const textExtensions = new Set(
  (
    'txt text md markdown rst adoc log out err csv tsv json jsonl ndjson yaml yml toml ini cfg conf properties env xml html htm svg ' +
    'diff patch ts tsx js jsx mjs cjs py rb go rs java kt kts scala swift c h cc cpp hpp cs php pl lua r sql sh bash zsh fish ps1 ' +
    'css scss less vue svelte graphql proto tf hcl gradle dockerfile makefile cmake gitignore editorconfig lock'
  ).split(' '),
);

/** Names without an extension that are text by convention. */
const textNames = new Set(['dockerfile', 'makefile', 'readme', 'license', 'changelog', 'procfile', 'gemfile', 'rakefile', 'jenkinsfile']);

const imageSignatures: Array<{ type: string; matches: (bytes: Uint8Array) => boolean }> = [
  { type: 'PNG', matches: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'JPEG', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'GIF', matches: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  { type: 'WebP', matches: (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50 },
];

const isPdf = (bytes: Uint8Array) => bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d;

/** True when the bytes decode as UTF-8 and hold no NUL: what a text file looks like, whatever its name. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  if (sample.includes(0)) return false;
  try {
    // A cut at the sample's end may split a character; only an error before the last 3 bytes counts.
    new TextDecoder('utf-8', { fatal: true }).decode(sample.length < bytes.length ? sample.subarray(0, Math.max(0, sample.length - 3)) : sample);
    return true;
  } catch {
    return false;
  }
}

/**
 * What an attachment is, decided by its bytes first (an image or a PDF by its
 * signature) and then by being text; the name only names the refusal. Throws a
 * one-line CouncilError for anything else (archives, executables, office files).
 */
export function kindOf(name: string, bytes: Uint8Array): AttachmentKind {
  if (isPdf(bytes)) return 'pdf';
  if (imageSignatures.some((signature) => signature.matches(bytes))) return 'image';
  if (looksLikeText(bytes)) return 'text';
  const extension = extname(name).slice(1).toLowerCase();
  const what = extension ? `a .${extension} file` : 'a binary file';
  throw new CouncilError('unsupported_media_type', `${name} is ${what}, which Council cannot read; attach text (code, logs, Markdown, CSV, JSON, YAML, diffs), a PDF or an image (PNG, JPEG, GIF, WebP)`);
}

/** True for a name whose extension says text: a hint a face may use before downloading. */
export function namedAsText(name: string): boolean {
  const base = name.toLowerCase();
  return textExtensions.has(extname(base).slice(1)) || textNames.has(base);
}
