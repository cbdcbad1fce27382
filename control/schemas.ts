import { z } from 'zod';
import { nulProblem, withoutNul } from '../core/refuseNul.js';

/** Every text field: a NUL cannot be stored, so it is a 400 naming the field, not a database error. */
const text = () => z.string().regex(withoutNul, { message: nulProblem });
const agentId = text().trim().min(1).max(64);

/**
 * A file sent with a chat or consult: its text, or its bytes in base64 (a PDF,
 * an image). These bounds are the most any server takes; ATTACHMENT_MAX_COUNT
 * and ATTACHMENT_MAX_BYTES (5 files of 8 MB by default) are checked in core.
 */
const attachment = z.union([
  z.strictObject({ name: text().trim().min(1).max(255), text: z.string().max(50_000_000) }),
  z.strictObject({ name: text().trim().min(1).max(255), base64: z.string().max(66_666_668).regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'must be base64 (A-Z, a-z, 0-9, +, /, = padding)' }) }),
]);
const attachments = z.array(attachment).max(20).optional();

// Strict everywhere: an unknown field is a 400, and the OpenAPI schema says additionalProperties: false.
export const chatBody = z.strictObject({ message: text().min(1).max(16_000), session: text().trim().min(1).max(128).optional(), attachments });
export const consultBody = z.strictObject({ message: text().min(1).max(16_000), agents: z.array(agentId).min(1).max(29), session: text().trim().min(1).max(128).optional(), attachments });

/** The bytes of REST attachments, as core takes them. */
export function attachmentInputs(list: z.infer<typeof attachments>): Array<{ name: string; data: Uint8Array }> {
  return (list ?? []).map((item) => ({ name: item.name, data: 'text' in item ? new TextEncoder().encode(item.text) : Buffer.from(item.base64, 'base64') }));
}
export const meetingBody = z.strictObject({
  type: text().trim().min(1).max(64),
  title: text().trim().min(1).max(200),
  topics: z.array(text().trim().min(1).max(500)).min(1).max(20),
  participants: z.array(agentId).min(1).max(12).optional(),
  description: text().max(4_000).optional(),
  /** A model per attendee, e.g. {"qa_engineer": "qwen2.5:7b"}: beats the colleague's role model and MODEL_NAME; each must be installed on Ollama. */
  /** Each topic opens with every participant's position given without seeing the others' (default: the meeting type's, see council meeting types). */
  independent: z.boolean().optional(),
  models: z.record(agentId, text().trim().min(1).max(200).regex(/^\S+$/, { message: 'must be an Ollama model name without spaces' })).optional(),
});
export const meetingMessageBody = z.strictObject({ text: text().trim().min(1).max(16_000) });
export const keyBody = z.strictObject({ name: text().trim().min(1).max(64) });
/** PATCH /admin/keys/{id}: the tools the key's chats may call (`<server>.<tool>`), pinned as offered now; [] takes them all away. */
export const keyToolsBody = z.strictObject({ tools: z.array(text().trim().min(3).max(150)).max(64) });
/** A team-wide note every speaker of that agent recalls: admin only. */
export const teamNoteBody = z.strictObject({ agent: agentId, content: text().trim().min(1).max(2_000) });

/** PUT /admin/settings/{scope}/{id}: any JSON object here; the keys and values are checked by the settings service (core/settings). */
export const settingsBody = z.record(z.string(), z.unknown());
