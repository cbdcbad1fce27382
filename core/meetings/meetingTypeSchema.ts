import { z } from 'zod';

export const minutesSections = ['decisions', 'action_items', 'open_questions', 'risks'] as const;

/** A kind of meeting: who runs it, who attends by default, its rhythm, and what its minutes must hold. */
export const meetingTypeSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    name: z.string().min(1),
    description: z.string().min(1),
    facilitator: z.string().min(1),
    participants: z.array(z.string().min(1)).min(2).max(6),
    /** Discussion rounds per topic, after the facilitator's opening and before the topic summary. */
    roundsPerTopic: z.number().int().min(1).max(3),
    maxTurnWords: z.number().int().min(30).max(400),
    /** What the meeting is for and how to contribute: goes into every turn's prompt. */
    guidance: z.string().min(1),
    /** Each topic opens with every participant's own position, given without seeing the others' (for meetings that decide something). */
    independentPositions: z.boolean().default(false),
    minutes: z.object({
      requires: z.array(z.enum(minutesSections)),
      /** Extra sections the minutes writer fills in, e.g. root_cause for a postmortem. */
      sections: z.record(z.string().regex(/^[a-z_]+$/), z.string().min(1)).default({}),
    }),
  })
  .refine((type) => !type.participants.includes(type.facilitator), { message: 'the facilitator must not also be listed as a participant' });

export type MeetingType = z.infer<typeof meetingTypeSchema>;
export type MeetingTypeInput = z.input<typeof meetingTypeSchema>;

/** The phases every meeting runs per topic, in order. */
export const meetingPhases = ['opening', 'discussion', 'topic_summary'] as const;
