import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { agents } from '../db/schema.js';
import type { Role } from '../roles/roleSchema.js';

/** Mirrors roles/ into the agents table so SQL can join on agents; the files stay the truth. */
export async function syncAgents(db: Db, roles: readonly Role[]): Promise<void> {
  if (roles.length === 0) return;
  await db
    .insert(agents)
    .values(
      roles.map((role) => ({
        id: role.id,
        name: role.name,
        title: role.title,
        category: role.category,
        expertise: role.expertise,
        temperature: role.temperature ?? null,
        avatar: role.avatar ?? null,
        promptHash: createHash('sha256').update(role.prompt).digest('hex').slice(0, 16),
      })),
    )
    .onConflictDoUpdate({
      target: agents.id,
      set: {
        name: sql`excluded.name`,
        title: sql`excluded.title`,
        category: sql`excluded.category`,
        expertise: sql`excluded.expertise`,
        temperature: sql`excluded.temperature`,
        avatar: sql`excluded.avatar`,
        promptHash: sql`excluded.prompt_hash`,
        updatedAt: sql`now()`,
      },
    });
}
