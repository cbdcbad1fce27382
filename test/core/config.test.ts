import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';
import { rolesSettings } from '../../core/config/rolesSettings.js';
import { CouncilError } from '../../core/errors.js';
import { defaultDataDir } from '../../core/paths.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.OLLAMA_BASE_URL).toEqual(['http://localhost:11434']);
    expect(config.MODEL_NAME).toBe('llama3.2');
    expect(config.TEMPERATURE).toBe(0.7);
    expect(config.CONTROL_PORT).toBe(8000);
    expect(config.DATA_DIR).toBe(defaultDataDir());
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads a comma list of backends and trims trailing slashes', () => {
    const config = loadConfig({ OLLAMA_BASE_URL: 'http://a:11434/, http://b:11434' });
    expect(config.OLLAMA_BASE_URL).toEqual(['http://a:11434', 'http://b:11434']);
  });

  it('names every bad value on its own line', () => {
    try {
      loadConfig({ TEMPERATURE: 'hot', CONTROL_PORT: '99999', OLLAMA_BASE_URL: 'localhost:11434' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CouncilError);
      const message = (error as CouncilError).message;
      expect(message).toContain('TEMPERATURE="hot"');
      expect(message).toContain('CONTROL_PORT="99999"');
      expect(message).toContain('OLLAMA_BASE_URL');
      expect(message.split('\n')).toHaveLength(4);
      expect((error as CouncilError).exitCode).toBe(2);
    }
  });

  it('reads secrets from NAME_FILE and never echoes a bad secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'council-secret-'));
    writeFileSync(join(dir, 'admin'), 's3cret-token-0123456789abc\n');
    expect(loadConfig({ ADMIN_TOKEN_FILE: join(dir, 'admin') }).ADMIN_TOKEN).toBe('s3cret-token-0123456789abc');
    expect(() => loadConfig({ ADMIN_TOKEN_FILE: join(dir, 'missing') })).toThrow(/ADMIN_TOKEN_FILE: cannot read/);
    // Compose passes the scrape token as the metrics_token secret.
    writeFileSync(join(dir, 'metrics'), 'scrape-token-0123456789\n');
    expect(loadConfig({ METRICS_TOKEN_FILE: join(dir, 'metrics') }).METRICS_TOKEN).toBe('scrape-token-0123456789');
    expect(() => loadConfig({ METRICS_TOKEN_FILE: join(dir, 'missing') })).toThrow(/METRICS_TOKEN_FILE: cannot read/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', DISCORD_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });
});

describe('rolesSettings', () => {
  it('accepts, refuses and reads ROLES_DIR and TEMPERATURE exactly as the full schema does', () => {
    const outcome = (read: () => { ROLES_DIR?: string; TEMPERATURE: number }) => {
      try {
        const { ROLES_DIR, TEMPERATURE } = read();
        return { ROLES_DIR, TEMPERATURE };
      } catch (error) {
        expect(error).toBeInstanceOf(CouncilError);
        return 'refused';
      }
    };
    const temperatures = [undefined, '', ' ', '0', '2', '2.01', '-0.1', '1e0', '0x1', ' 1 ', 'warm', 'Infinity', 'NaN'];
    const dirs = [undefined, '', '  ', ' /srv/roles ', 'roles'];
    let refused = 0;
    for (const TEMPERATURE of temperatures) {
      for (const ROLES_DIR of dirs) {
        const env = { TEMPERATURE, ROLES_DIR };
        const full = outcome(() => loadConfig(env));
        expect(outcome(() => rolesSettings(env)), JSON.stringify(env)).toEqual(full);
        if (full === 'refused') refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
