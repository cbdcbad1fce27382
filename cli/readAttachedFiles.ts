import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { AttachmentInput } from '../core/attachments/attachmentTypes.js';
import { checkAttachmentLimits } from '../core/attachments/checkAttachmentLimits.js';
import { CouncilError } from '../core/errors.js';
import type { CommandContext } from './runtime.js';

/**
 * The files named by `--file` (repeatable), read from the caller's folder (a
 * forwarded command carries it). A file over ATTACHMENT_MAX_BYTES is refused
 * from its size, before it is read; core checks the count and the kind.
 */
export async function readAttachedFiles(ctx: CommandContext, maxBytes: number): Promise<AttachmentInput[]> {
  const given = ctx.flags.file;
  const paths = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
  const files: AttachmentInput[] = [];
  for (const path of paths) {
    const full = resolve(ctx.io.cwd ?? process.cwd(), path);
    const handle = await open(full, 'r').catch((error: NodeJS.ErrnoException) => {
      throw new CouncilError('bad_usage', `cannot read --file ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EACCES' ? 'permission denied' : error.code === 'EISDIR' ? 'it is a folder' : (error.code ?? 'unreadable')}`);
    });
    try {
      const { size, isFile } = await handle.stat().then((stat) => ({ size: stat.size, isFile: stat.isFile() }));
      if (!isFile) throw new CouncilError('bad_usage', `cannot read --file ${path}: it is not a regular file`);
      checkAttachmentLimits([{ name: basename(full), size }], { maxCount: Infinity, maxBytes });
      files.push({ name: basename(full), data: await handle.readFile() });
    } finally {
      await handle.close();
    }
  }
  return files;
}
