import { readFileSync } from 'node:fs';
import { CouncilError } from '../errors.js';
import { defaultDataDir } from '../paths.js';
import { credentialNames, envSchema, secretNames, type Env } from './schema.js';

export type Config = Env;

/**
 * Reads and validates the environment once. Every bad value is named on its own
 * line, so an operator fixes them all in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const source: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  for (const name of secretNames) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '' || (env[name] ?? '') !== '') continue;
    try {
      // A file's surrounding whitespace is an editor's newline, not part of the secret.
      source[name] = readFileSync(file, 'utf8').trim();
      if (source[name] === '' && (credentialNames as readonly string[]).includes(name)) problems.push(`${name}_FILE: ${file} is empty; put the token in it or unset ${name}_FILE`);
    } catch {
      problems.push(`${name}_FILE: cannot read ${file}; mount the secret or unset ${name}_FILE`);
    }
  }
  for (const key of Object.keys(source)) {
    if (source[key] === '') delete source[key];
  }
  source.DATA_DIR ??= defaultDataDir(env);
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      const value = secretNames.includes(name as (typeof secretNames)[number]) ? '(secret)' : JSON.stringify(source[name]);
      problems.push(`${name}=${value}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) {
    // One line per bad value, each naming the variable: faces print details.problems line by line.
    throw new CouncilError('bad_config', `invalid configuration:\n  ${problems.join('\n  ')}`, { details: { problems } });
  }
  return parsed.data;
}
