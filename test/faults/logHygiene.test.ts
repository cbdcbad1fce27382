import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toCouncilError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';

/** What drizzle throws when a query fails: the SQL, then the parameters (user text, an embedding), then the driver's error as cause. */
function failedQuery(): Error {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  return new Error('Failed query: insert into "memories" ("content", "embedding") values ($1, $2)\nparams: my secret diary entry,0.12,0.98,0.33', { cause });
}

describe('failed queries in logs and answers', () => {
  it('logs the driver cause, never the SQL parameters', () => {
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
    createLogger('info', sink).error({ err: failedQuery() }, 'request failed');
    expect(out).toContain('ECONNREFUSED');
    expect(out).not.toContain('secret diary');
    expect(out).not.toContain('0.98');
  });

  it('answers clients with a code and a plain reason, no SQL or host:port', () => {
    const failure = toCouncilError(failedQuery());
    expect(failure.code).toBe('database_error');
    expect(failure.message).toBe('the database could not complete the request (connection refused); try again shortly');
    expect(toCouncilError(new Error('boom at 10.0.0.5:5432')).message).not.toContain('10.0.0.5');
  });
});
