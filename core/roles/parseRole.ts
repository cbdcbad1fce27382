import { parse as parseYaml } from 'yaml';
import { CouncilError } from '../errors.js';
import { roleFrontMatter, type Role } from './roleSchema.js';

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses one role file; a bad file is a CouncilError naming the file and the field at fault. */
export function parseRole(file: string, text: string): Role {
  const match = frontMatterPattern.exec(text);
  if (!match) throw badRole(file, 'front matter', 'must start with a --- YAML block ---');
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (error) {
    throw badRole(file, 'front matter', `is not valid YAML (${(error as Error).message.split('\n', 1)[0]})`);
  }
  const parsed = roleFrontMatter.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'front matter');
    throw badRole(file, field, issue?.message ?? 'is invalid');
  }
  const prompt = (match[2] ?? '').trim();
  if (prompt.length < 40) throw badRole(file, 'body', 'must hold the persona prompt (at least 40 characters)');
  return { ...parsed.data, prompt, file };
}

function badRole(file: string, field: string, problem: string): CouncilError {
  return new CouncilError('bad_role', `role file ${file}: ${field} ${problem}`, { details: { file, field } });
}
