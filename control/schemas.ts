import { z } from 'zod';
import { nulProblem, withoutNul } from '../core/refuseNul.js';

/** Every text field: a NUL cannot be stored, so it is a 400 naming the field, not a database error. */
const text = () => z.string().regex(withoutNul, { message: nulProblem });
const agentId = text().trim().min(1).max(64);

// Strict everywhere: an unknown field is a 400, and the OpenAPI schema says additionalProperties: false.
export const chatBody = z.strictObject({ message: text().min(1).max(16_000), session: text().trim().min(1).max(128).optional() });
export const consultBody = z.strictObject({ message: text().min(1).max(16_000), agents: z.array(agentId).min(1).max(29), session: text().trim().min(1).max(128).optional() });
export const meetingBody = z.strictObject({
  type: text().trim().min(1).max(64),
  title: text().trim().min(1).max(200),
  topics: z.array(text().trim().min(1).max(500)).min(1).max(20),
  participants: z.array(agentId).min(1).max(12).optional(),
  description: text().max(4_000).optional(),
});
export const meetingMessageBody = z.strictObject({ text: text().trim().min(1).max(16_000) });
export const keyBody = z.strictObject({ name: text().trim().min(1).max(64) });
/** A team-wide note every speaker of that agent recalls: admin only. */
export const teamNoteBody = z.strictObject({ agent: agentId, content: text().trim().min(1).max(2_000) });
