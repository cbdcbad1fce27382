/** A file someone shared with a message: its name as they gave it and its bytes. */
export interface AttachmentInput {
  name: string;
  data: Uint8Array;
  /** What the sender said it is (Discord's content_type, an upload's type); a hint only, the bytes decide. */
  contentType?: string | null;
}

export type AttachmentKind = 'text' | 'pdf' | 'image';

/** What is stored on the message instead of the file: enough to recognise it again, none of its text. */
export interface AttachmentRef {
  name: string;
  size: number;
  sha256: string;
  kind: AttachmentKind;
}

/** Limits on what one message may carry (ATTACHMENT_MAX_COUNT, ATTACHMENT_MAX_BYTES, ATTACHMENT_PDF_MAX_PAGES). */
export interface AttachmentLimits {
  maxCount: number;
  maxBytes: number;
  pdfMaxPages: number;
}

/** The attachments as prompt material: quoted text for the message, images for a model that can see, refs to store. */
export interface PreparedAttachments {
  /** The quoted, labelled block appended to the person's message; empty when nothing was readable. */
  text: string;
  /** Base64 images for Ollama's `images`; empty unless the model can see. */
  images: string[];
  refs: AttachmentRef[];
}
