import { CouncilError } from '../errors.js';
import type { Config } from './loadConfig.js';

export type RolesSettings = Pick<Config, 'ROLES_DIR' | 'TEMPERATURE'>;

/**
 * The two settings listing the personas needs, read without the full schema:
 * importing zod costs more than the whole `council agents` command otherwise
 * takes. Same rules and the same one-line error as envSchema (a test keeps them
 * in step); every other setting is validated when a command first uses it.
 */
export function rolesSettings(env: NodeJS.ProcessEnv): RolesSettings {
  const dir = env.ROLES_DIR?.trim();
  const temperature = env.TEMPERATURE === undefined || env.TEMPERATURE === '' ? 0.7 : Number(env.TEMPERATURE);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) {
    const problem = `TEMPERATURE=${JSON.stringify(env.TEMPERATURE)}: must be a number from 0 to 2`;
    throw new CouncilError('bad_config', `invalid configuration:\n  ${problem}`, { details: { problems: [problem] } });
  }
  return { ROLES_DIR: dir ? dir : undefined, TEMPERATURE: temperature };
}
