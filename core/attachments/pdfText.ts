import { CouncilError } from '../errors.js';

/**
 * The text of a PDF, page by page, through unpdf (PDF.js bundled, no network,
 * no eval). A PDF with more than `maxPages` pages is read up to that page and
 * says so; one that cannot be parsed is a one-line refusal.
 */
export async function pdfText(name: string, bytes: Uint8Array, maxPages: number): Promise<string> {
  const { getDocumentProxy } = await import('unpdf');
  let document: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // PDF.js takes ownership of the buffer it is given; a copy leaves the caller's bytes intact for hashing.
    document = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, stopAtErrors: true });
    const pages = Math.min(document.numPages, maxPages);
    const texts: string[] = [];
    for (let number = 1; number <= pages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const line = content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : '')).join('');
      texts.push(`--- page ${number} ---\n${line.trim()}`);
    }
    if (document.numPages > pages) texts.push(`[… pages ${pages + 1} to ${document.numPages} not read: the limit is ${maxPages} pages (ATTACHMENT_PDF_MAX_PAGES) …]`);
    const text = texts.join('\n');
    if (texts.every((page) => page.replace(/^--- page \d+ ---\n?/, '').trim() === '')) return `${text}\n[this PDF has no text layer (a scan?); Council cannot read it]`;
    return text;
  } catch (error) {
    throw new CouncilError('unsupported_media_type', `${name} could not be read as a PDF (${(error as Error).message.split('\n')[0]?.slice(0, 120)}); attach another copy or paste the text`, { cause: error });
  } finally {
    await document?.destroy().catch(() => undefined);
  }
}
