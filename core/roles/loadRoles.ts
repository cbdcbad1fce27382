import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CouncilError } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { Role } from './roleSchema.js';

/**
 * Validated roles, keyed by a hash of the role files' names and contents, kept
 * beside the compiled code: a command that only lists the personas then skips
 * the YAML parser and the schema. Any edit to a role file misses the cache.
 */
const cacheFile = join(packageRoot, 'dist', 'roles-cache.json');

/** Loads every roles/*.md, sorted by id; duplicate ids or an empty folder stop start-up. */
export async function loadRoles(dir: string): Promise<Role[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  } catch {
    throw new CouncilError('bad_role', `roles folder ${dir} cannot be read; set ROLES_DIR to the folder of roles/*.md`);
  }
  if (names.length === 0) throw new CouncilError('bad_role', `roles folder ${dir} has no *.md role files`);
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
  const hash = createHash('sha256');
  names.forEach((name, i) => hash.update(`${name}\0${texts[i]}\0`));
  const fingerprint = hash.digest('hex');
  const cached = readCache(fingerprint);
  if (cached) return cached;

  const { parseRole } = await import('./parseRole.js');
  const roles = names.map((name, i) => parseRole(name, texts[i] ?? ''));
  const seen = new Map<string, string>();
  for (const role of roles) {
    const other = seen.get(role.id);
    if (other) throw new CouncilError('bad_role', `role file ${role.file}: id "${role.id}" is also used by ${other}`);
    seen.set(role.id, role.file);
  }
  const sorted = roles.sort((a, b) => a.id.localeCompare(b.id));
  writeCache(fingerprint, sorted);
  return sorted;
}

function readCache(fingerprint: string): Role[] | null {
  try {
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as { fingerprint?: string; roles?: Role[] };
    return cache.fingerprint === fingerprint && Array.isArray(cache.roles) ? cache.roles : null;
  } catch {
    return null;
  }
}

function writeCache(fingerprint: string, roles: Role[]): void {
  try {
    // Written aside and renamed, so a process reading at the same time sees the old cache or the new one.
    const temp = `${cacheFile}.${process.pid}`;
    writeFileSync(temp, JSON.stringify({ fingerprint, roles }));
    renameSync(temp, cacheFile);
  } catch {
    // A read-only install simply parses the roles each time.
  }
}
