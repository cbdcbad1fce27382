import { CouncilError } from '../errors.js';

/** The two settings `council agents` reads (kept in step with envSchema by config.test.ts). */
export interface RolesSettings {
  ROLES_DIR?: string | undefined;
  TEMPERATURE: number;
}

/** TEMPERATURE's range and default, for envSchema and for this zod-free reader alike. */
export const temperature = { min: 0, max: 2, fallback: 0.7 } as const;

/**
 * The two settings listing the personas needs, read without the full schema:
 * importing zod costs more than the whole `council agents` command otherwise
 * takes. Same rules and the same one-line error format as envSchema (a test
 * keeps them in step); every other setting is validated when a command first uses it.
 */
export function rolesSettings(env: NodeJS.ProcessEnv): RolesSettings {
  const dir = env.ROLES_DIR?.trim();
  const value = env.TEMPERATURE === undefined || env.TEMPERATURE === '' ? temperature.fallback : Number(env.TEMPERATURE);
  if (!Number.isFinite(value) || value < temperature.min || value > temperature.max) {
    const problem = `TEMPERATURE=${JSON.stringify(env.TEMPERATURE)}: must be a number from ${temperature.min} to ${temperature.max}`;
    throw new CouncilError('bad_config', `invalid configuration:\n  ${problem}`, { details: { problems: [problem] } });
  }
  return { ROLES_DIR: dir ? dir : undefined, TEMPERATURE: value };
}
