import { CouncilError } from './errors.js';

/**
 * Postgres text (PGlite's too) cannot hold U+0000: the insert fails with SQLSTATE
 * 22021, which reads as a database fault (503, "try again") though the input is
 * what is wrong. Faces check their fields first and name them; this is the same
 * rule for text that reaches core from anywhere else (CLI stdin, Discord).
 */
export const nulProblem = 'contains a NUL character (\\u0000), which cannot be stored; remove it';

export const withoutNul = /^[^\u0000]*$/;

/** Throws a bad_usage CouncilError naming `field` when `text` holds a NUL character. */
export function refuseNul(field: string, text: string | undefined): void {
  if (text !== undefined && text.includes('\u0000')) throw new CouncilError('bad_usage', `${field} ${nulProblem}`);
}
