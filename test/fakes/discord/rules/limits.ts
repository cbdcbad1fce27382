import type { FieldError } from './errors.js';

/** Discord's documented message limits. */
export const limits = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  webhookName: 80,
  threadName: 100,
} as const;

const tooLong = (path: FieldError['path'], max: number): FieldError => ({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
const len = (value: unknown) => (typeof value === 'string' ? value.length : 0);

interface Embed {
  title?: string;
  description?: string;
  fields?: Array<{ name?: string; value?: string }>;
  footer?: { text?: string };
  author?: { name?: string };
}

/** Content and embeds of a message body (create or edit), as Discord validates them. */
export function messageProblems(body: Record<string, unknown>): FieldError[] {
  const problems: FieldError[] = [];
  if (len(body.content) > limits.content) problems.push(tooLong(['content'], limits.content));
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Embed[]) : [];
  if (embeds.length > limits.embedsPerMessage) problems.push(tooLong(['embeds'], limits.embedsPerMessage));
  let total = 0;
  for (const [i, embed] of embeds.entries()) {
    if (len(embed.title) > limits.embedTitle) problems.push(tooLong(['embeds', i, 'title'], limits.embedTitle));
    if (len(embed.description) > limits.embedDescription) problems.push(tooLong(['embeds', i, 'description'], limits.embedDescription));
    if (len(embed.footer?.text) > limits.footerText) problems.push(tooLong(['embeds', i, 'footer', 'text'], limits.footerText));
    if (len(embed.author?.name) > limits.authorName) problems.push(tooLong(['embeds', i, 'author', 'name'], limits.authorName));
    const fields = embed.fields ?? [];
    if (fields.length > limits.embedFields) problems.push(tooLong(['embeds', i, 'fields'], limits.embedFields));
    for (const [j, field] of fields.entries()) {
      if (len(field.name) === 0) problems.push({ path: ['embeds', i, 'fields', j, 'name'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      if (len(field.value) === 0) problems.push({ path: ['embeds', i, 'fields', j, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      if (len(field.name) > limits.fieldName) problems.push(tooLong(['embeds', i, 'fields', j, 'name'], limits.fieldName));
      if (len(field.value) > limits.fieldValue) problems.push(tooLong(['embeds', i, 'fields', j, 'value'], limits.fieldValue));
      total += len(field.name) + len(field.value);
    }
    total += len(embed.title) + len(embed.description) + len(embed.footer?.text) + len(embed.author?.name);
  }
  // The 6000 limit is the sum over every embed of the message.
  if (total > limits.embedTotal) problems.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of ${limits.embedTotal}` });
  return problems;
}

/** Webhook names and per-message usernames: 1-80 characters, never containing "clyde" or "discord". */
export function webhookNameProblems(field: string, name: unknown): FieldError[] {
  if (name === undefined) return [];
  const text = String(name);
  if (text.length < 1 || text.length > limits.webhookName) return [{ path: [field], code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between 1 and ${limits.webhookName} in length.` }];
  for (const word of ['clyde', 'discord']) {
    if (text.toLowerCase().includes(word)) return [{ path: [field], code: 'USERNAME_INVALID_CONTAINS', message: `Username cannot contain "${word}"` }];
  }
  return [];
}

export function threadNameProblems(name: unknown): FieldError[] {
  const text = typeof name === 'string' ? name : '';
  return text.length < 1 || text.length > limits.threadName ? [{ path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between 1 and ${limits.threadName} in length.` }] : [];
}
