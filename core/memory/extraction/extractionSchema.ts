import { z } from 'zod';

/** What the model may say about one memory it found in a message. */
export const extractedMemory = z.object({
  text: z.string().trim().min(3).max(400),
  kind: z.enum(['fact', 'preference', 'decision', 'person']),
  subject: z.string().trim().max(120).nullable().optional(),
  /** How it relates to one of the existing memories shown with ids: a repeat, an update or a contradiction of it, or nothing (new). */
  relation: z.enum(['new', 'repeats', 'updates', 'contradicts']).default('new'),
  relatedId: z.string().trim().nullable().optional(),
  importance: z.number().min(0).max(1).optional(),
});

export const extractionOutput = z.object({ memories: z.array(extractedMemory).max(10) });

export type ExtractedMemory = z.infer<typeof extractedMemory>;

/** The JSON schema sent as Ollama's `format`, so the model's output is constrained to it. */
export const extractionFormat = z.toJSONSchema(extractionOutput, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
