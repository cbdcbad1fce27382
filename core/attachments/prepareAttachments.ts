import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { AttachmentInput, AttachmentKind, AttachmentLimits, AttachmentRef, PreparedAttachments } from './attachmentTypes.js';
import { checkAttachmentLimits } from './checkAttachmentLimits.js';
import { cutHeadTail } from './cutHeadTail.js';
import { kindOf } from './kindOf.js';
import { pdfText } from './pdfText.js';
import { attachmentsPreamble, quoteAttachment } from './quoteAttachment.js';

export interface PrepareInput {
  attachments: AttachmentInput[];
  limits: AttachmentLimits;
  /** Room in the prompt for the quoted files, in characters; the files share it and each is cut head-and-tail to its share. */
  maxChars: number;
  /** The answering model reads Ollama `images` (its /api/show capabilities include "vision"). */
  canSee: boolean;
  model: string;
}

/** What each quoted block costs around its body: the tag, the label and the fences. */
const blockOverhead = 120;

/** A name safe to show and to quote: no folders, no control characters, not endless. */
export function cleanName(name: string): string {
  const base = basename(name.replaceAll('\\', '/'))
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
  return (base || 'attachment').slice(0, 120);
}

/**
 * Turns a message's attachments into prompt material within `maxChars`:
 * text and PDFs quoted as untrusted data and cut head-and-tail to share the
 * room, images passed on when the model can see (one plain line when it
 * cannot), and a reference (name, size, sha256) for each to store instead of
 * its text. Refuses, with one line, more files than the limit, a file over
 * the size limit, or a kind Council cannot read; nothing is read then.
 */
export async function prepareAttachments(input: PrepareInput): Promise<PreparedAttachments> {
  const { attachments, limits } = input;
  if (attachments.length === 0) return { text: '', images: [], refs: [] };
  checkAttachmentLimits(attachments.map((attachment) => ({ name: cleanName(attachment.name), size: attachment.data.byteLength })), limits);
  const files = attachments.map((attachment) => {
    const name = cleanName(attachment.name);
    return { name, data: attachment.data, kind: kindOf(name, attachment.data) };
  });

  const refs: AttachmentRef[] = files.map((file) => ({ name: file.name, size: file.data.byteLength, sha256: createHash('sha256').update(file.data).digest('hex'), kind: file.kind }));
  const images: string[] = [];
  const lines: string[] = [];
  const readable: Array<{ name: string; kind: AttachmentKind; size: number; body: string }> = [];
  for (const file of files) {
    if (file.kind === 'image') {
      if (input.canSee) {
        images.push(Buffer.from(file.data).toString('base64'));
        lines.push(`[image ${JSON.stringify(file.name)} is attached for you to look at (image ${images.length})]`);
      } else {
        lines.push(`[image ${JSON.stringify(file.name)} was attached, but this colleague's model (${input.model}) cannot see images, so it was not shown]`);
      }
      continue;
    }
    const body = file.kind === 'pdf' ? await pdfText(file.name, file.data, limits.pdfMaxPages) : new TextDecoder().decode(file.data).replace(/^\uFEFF/, '');
    readable.push({ name: file.name, kind: file.kind, size: file.data.byteLength, body });
  }

  const blocks = shareRoom(readable, Math.max(0, input.maxChars - attachmentsPreamble.length - lines.join('\n').length));
  const parts = [...blocks, ...lines];
  return { text: parts.length > 0 ? [attachmentsPreamble, ...parts].join('\n') : '', images, refs };
}

/** Quoted blocks that together fit `room`: short files whole, the longer ones cut to equal shares of what is left. */
function shareRoom(files: Array<{ name: string; kind: AttachmentKind; size: number; body: string }>, room: number): string[] {
  const order = files.map((file, index) => ({ file, index })).sort((a, b) => a.file.body.length - b.file.body.length);
  const quoted = new Array<string>(files.length);
  let left = room;
  order.forEach(({ file, index }, position) => {
    const share = Math.floor(left / (order.length - position)) - blockOverhead - file.name.length;
    const { text } = cutHeadTail(file.body, Math.max(0, share));
    quoted[index] = quoteAttachment({ ...file, body: text });
    left -= quoted[index].length;
  });
  return quoted;
}
