import { z } from 'zod';

export const categories = ['developer', 'manager', 'architect', 'specialist'] as const;
export type Category = (typeof categories)[number];

/** The YAML front matter of a roles/*.md file. The markdown body is the system prompt. */
export const roleFrontMatter = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, e.g. backend_developer'),
    name: z.string().trim().min(1),
    title: z.string().trim().min(1),
    category: z.enum(categories),
    expertise: z.array(z.string().trim().min(1)).min(1),
    temperature: z.number().min(0).max(2).optional(),
    /** The Ollama model this colleague answers with (unset: MODEL_NAME); a place's setting or a meeting's choice beats it. */
    model: z.string().trim().min(1).max(200).regex(/^[^\s]+$/, 'must be an Ollama model name without spaces, e.g. qwen2.5:7b').optional(),
    avatar: z.url().optional(),
    aliases: z.array(z.string().trim().min(1)).optional(),
  })
  .strict();

export type RoleFrontMatter = z.infer<typeof roleFrontMatter>;

export interface Role extends RoleFrontMatter {
  /** The persona's system prompt, from the file body. */
  prompt: string;
  /** Where it came from, for error messages. */
  file: string;
}
