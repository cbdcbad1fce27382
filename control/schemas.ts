import { z } from 'zod';

const agentId = z.string().trim().min(1).max(64);

// Strict everywhere: an unknown field is a 400, and the OpenAPI schema says additionalProperties: false.
export const chatBody = z.strictObject({ message: z.string().min(1).max(16_000), session: z.string().trim().min(1).max(128).optional() });
export const consultBody = z.strictObject({ message: z.string().min(1).max(16_000), agents: z.array(agentId).min(1).max(29), session: z.string().trim().min(1).max(128).optional() });
export const meetingBody = z.strictObject({
  type: z.string().trim().min(1).max(64),
  title: z.string().trim().min(1).max(200),
  topics: z.array(z.string().trim().min(1).max(500)).min(1).max(20),
  participants: z.array(agentId).min(1).max(12).optional(),
  description: z.string().max(4_000).optional(),
});
export const meetingMessageBody = z.strictObject({ text: z.string().trim().min(1).max(16_000) });
export const keyBody = z.strictObject({ name: z.string().trim().min(1).max(64) });
/** A team-wide note every speaker of that agent recalls: admin only. */
export const teamNoteBody = z.strictObject({ agent: agentId, content: z.string().trim().min(1).max(2_000) });
