import type { Attachment, Message } from 'discord.js';
import type { AttachmentInput } from '../../../core/attachments/attachmentTypes.js';
import { checkAttachmentLimits } from '../../../core/attachments/checkAttachmentLimits.js';
import { CouncilError } from '../../../core/errors.js';
import type { BotContext } from '../../context.js';
import { noteDiscordError } from '../discord/discordErrors.js';

/**
 * The files on a message and on the message it replies to (a question about
 * a log someone posted earlier), downloaded from Discord. The limits are
 * checked on the sizes Discord reports before anything is downloaded, and
 * again on the bytes in core.
 */
export async function messageAttachments(ctx: BotContext, message: Message<true>, signal?: AbortSignal): Promise<AttachmentInput[]> {
  const own = [...message.attachments.values()];
  const repliedTo = message.reference?.messageId && message.reference.channelId === message.channelId ? await referenced(ctx, message) : null;
  const listed = [...own, ...(repliedTo ? [...repliedTo.attachments.values()] : [])];
  if (listed.length === 0) return [];
  const { ATTACHMENT_MAX_COUNT: maxCount, ATTACHMENT_MAX_BYTES: maxBytes } = ctx.council.config;
  checkAttachmentLimits(listed.map((file) => ({ name: file.name, size: file.size })), { maxCount, maxBytes });
  return Promise.all(listed.map((file) => download(file, maxBytes, signal)));
}

async function referenced(ctx: BotContext, message: Message<true>): Promise<Message | null> {
  const id = message.reference!.messageId!;
  return message.channel.messages.cache.get(id) ?? (await message.channel.messages.fetch(id).catch((error: unknown) => {
      noteDiscordError(ctx.log, 'attachment reply fetch', error, { message: id });
      return null;
    }));
}

async function download(file: Attachment, maxBytes: number, signal?: AbortSignal): Promise<AttachmentInput> {
  const timeout = AbortSignal.timeout(30_000);
  try {
    const response = await fetch(file.url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = new Uint8Array(await response.arrayBuffer());
    // Discord's reported size is checked before; the bytes are what counts.
    checkAttachmentLimits([{ name: file.name, size: data.byteLength }], { maxCount: 1, maxBytes });
    return { name: file.name, data, contentType: file.contentType };
  } catch (error) {
    if (error instanceof CouncilError) throw error;
    throw new CouncilError('bad_usage', `could not download ${file.name} from Discord (${timeout.aborted ? 'it took over 30 s' : (error as Error).message.slice(0, 80)}); try attaching it again`, { cause: error });
  }
}
