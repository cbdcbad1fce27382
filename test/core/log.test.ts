import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';
import { createLogger } from '../../core/log.js';

describe('logs', () => {
  it('never print secrets, even when a whole config object is logged', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger('info', sink);
    const config = loadConfig({ DISCORD_TOKEN: 'discord-secret-123', ADMIN_TOKEN: 'admin-secret-456-0123456789', DATABASE_URL: 'postgres://u:dbpass789@h/db' });
    log.info({ config }, 'started');
    log.info({ headers: { authorization: 'Bearer admin-secret-456-0123456789' } }, 'request');
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    for (const secret of ['discord-secret-123', 'admin-secret-456-0123456789', 'dbpass789']) expect(text).not.toContain(secret);
    expect(JSON.parse(lines[0]!).config.MODEL_NAME).toBe('llama3.2');
  });
});
