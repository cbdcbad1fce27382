import { z } from 'zod';

const agentId = z.string().trim().min(1).max(64);

export const chatBody = z.object({ message: z.string().min(1).max(16_000), session: z.string().trim().min(1).max(128).optional() });
export const consultBody = z.object({ message: z.string().min(1).max(16_000), agents: z.array(agentId).min(1).max(29), session: z.string().trim().min(1).max(128).optional() });
export const meetingBody = z.object({
  type: z.string().trim().min(1).max(64),
  title: z.string().trim().min(1).max(200),
  topics: z.array(z.string().trim().min(1).max(500)).min(1).max(20),
  participants: z.array(agentId).min(1).max(12).optional(),
  description: z.string().max(4_000).optional(),
});
