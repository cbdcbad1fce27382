import { describe, expect, it } from 'vitest';
import { isPostgresSocketRace } from '../../core/tasks/lastResort.js';

/** The crash from porsager/postgres#1154, as Node reports it. */
function raceError(path: string): TypeError {
  const error = new TypeError("Cannot read properties of null (reading 'write')");
  error.stack = `TypeError: Cannot read properties of null (reading 'write')\n    at Immediate.nextWrite (file://${path}:255:22)\n    at process.processImmediate (node:internal/timers:485:21)`;
  return error;
}

describe('isPostgresSocketRace', () => {
  it('recognises the postgres.js null-socket write, ESM and CJS builds', () => {
    expect(isPostgresSocketRace(raceError('/srv/council/node_modules/postgres/src/connection.js'))).toBe(true);
    expect(isPostgresSocketRace(raceError('/srv/council/node_modules/postgres/cjs/src/connection.js'))).toBe(true);
  });

  it('lets every other exception through to the fatal path', () => {
    expect(isPostgresSocketRace(raceError('/srv/council/core/llm/backend.js'))).toBe(false);
    expect(isPostgresSocketRace(new TypeError("Cannot read properties of null (reading 'write')"))).toBe(false);
    expect(isPostgresSocketRace(new Error("Cannot read properties of null (reading 'write')"))).toBe(false);
  });
});
