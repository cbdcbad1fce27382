import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CouncilError } from '../errors.js';
import { parseRole } from './parseRole.js';
import type { Role } from './roleSchema.js';

/** Loads every roles/*.md, sorted by id; duplicate ids or an empty folder stop start-up. */
export async function loadRoles(dir: string): Promise<Role[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  } catch {
    throw new CouncilError('bad_role', `roles folder ${dir} cannot be read; set ROLES_DIR to the folder of roles/*.md`);
  }
  if (names.length === 0) throw new CouncilError('bad_role', `roles folder ${dir} has no *.md role files`);
  const roles = await Promise.all(names.map(async (name) => parseRole(name, await readFile(join(dir, name), 'utf8'))));
  const seen = new Map<string, string>();
  for (const role of roles) {
    const other = seen.get(role.id);
    if (other) throw new CouncilError('bad_role', `role file ${role.file}: id "${role.id}" is also used by ${other}`);
    seen.set(role.id, role.file);
  }
  return roles.sort((a, b) => a.id.localeCompare(b.id));
}
