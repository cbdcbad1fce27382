import { CouncilError } from '../errors.js';
import type { AttachmentLimits } from './attachmentTypes.js';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

/**
 * The count and size limits, checked from what is known before a file is
 * read (a Discord attachment's size, a file's stat) and again on the bytes:
 * one wording wherever the files come from.
 */
export function checkAttachmentLimits(files: Array<{ name: string; size: number }>, limits: Pick<AttachmentLimits, 'maxCount' | 'maxBytes'>): void {
  if (files.length > limits.maxCount) {
    throw new CouncilError('bad_usage', `${files.length} files are attached; the limit is ${limits.maxCount} per message (ATTACHMENT_MAX_COUNT), so attach fewer`);
  }
  const big = files.find((file) => file.size > limits.maxBytes);
  if (big) throw new CouncilError('message_too_long', `${big.name} is ${megabytes(big.size)}; the limit is ${megabytes(limits.maxBytes)} per file (ATTACHMENT_MAX_BYTES), so attach a smaller part`);
}
