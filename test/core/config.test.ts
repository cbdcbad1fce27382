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

  it('reads DISCORD_GUILDS as a list of server ids, refusing anything else with a line that says how to find one', () => {
    expect(loadConfig({}).DISCORD_GUILDS).toBeUndefined();
    expect(loadConfig({}).DISCORD_LEAVE_UNKNOWN_GUILDS).toBe(true);
    expect(loadConfig({ DISCORD_GUILDS: ' 123456789012345678, 223456789012345678,123456789012345678 ' }).DISCORD_GUILDS).toEqual(['123456789012345678', '223456789012345678']);
    expect(loadConfig({ DISCORD_LEAVE_UNKNOWN_GUILDS: 'false' }).DISCORD_LEAVE_UNKNOWN_GUILDS).toBe(false);
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as CouncilError).details.problems as string[];
      }
    };
    expect(problems({ DISCORD_GUILDS: '123456789012345678,My Server' })).toEqual(['DISCORD_GUILDS="123456789012345678,My Server": "My Server" is not a Discord server id (17 to 20 digits); with Developer Mode on, right-click the server icon and choose Copy Server ID']);
    expect(problems({ DISCORD_GUILDS: ' , ' })[0]).toMatch(/^DISCORD_GUILDS=" , ": must list at least one Discord server id.*unset it to allow every server/);
    expect(problems({ DISCORD_LEAVE_UNKNOWN_GUILDS: 'sometimes' })).toEqual(['DISCORD_LEAVE_UNKNOWN_GUILDS="sometimes": must be true or false']);
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

  it('refuses a blank or space-padded ADMIN_TOKEN or METRICS_TOKEN at start with one line, never reading it as unset', () => {
    const refusal = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(CouncilError);
        const problems = (error as CouncilError).details.problems as string[];
        expect(problems).toHaveLength(1);
        return problems[0];
      }
      return 'accepted';
    };
    const good = 'a'.repeat(24);
    for (const name of ['ADMIN_TOKEN', 'METRICS_TOKEN']) {
      expect(refusal({ [name]: ' '.repeat(24) })).toMatch(new RegExp(`^${name}=\\(secret\\): is blank .*unset ${name}$`));
      expect(refusal({ [name]: '\t\n ' })).toMatch(/is blank/);
      expect(refusal({ [name]: ` ${good}` })).toMatch(/has spaces or line breaks at its start or end/);
      expect(refusal({ [name]: `${good}\n` })).toMatch(/has spaces or line breaks at its start or end/);
      expect(refusal({ [name]: good })).toBe('accepted');
      expect(refusal({ [name]: '' })).toBe('accepted');
    }
    expect(refusal({ ADMIN_TOKEN: 'a'.repeat(23) })).toMatch(/^ADMIN_TOKEN=\(secret\): must be at least 24 characters/);
    expect(refusal({ ADMIN_TOKEN: `${'a'.repeat(12)} ${'a'.repeat(12)}` })).toMatch(/printable ASCII without spaces/);
    const dir = mkdtempSync(join(tmpdir(), 'council-secret-'));
    writeFileSync(join(dir, 'blank'), '  \n');
    expect(refusal({ ADMIN_TOKEN_FILE: join(dir, 'blank') })).toBe(`ADMIN_TOKEN_FILE: ${join(dir, 'blank')} is empty; put the token in it or unset ADMIN_TOKEN_FILE`);
    expect(refusal({ METRICS_TOKEN_FILE: join(dir, 'blank') })).toMatch(/^METRICS_TOKEN_FILE: .* is empty/);
    // init-secrets leaves discord_token empty on purpose: the bot is simply off.
    expect(loadConfig({ DISCORD_TOKEN_FILE: join(dir, 'blank') }).DISCORD_TOKEN).toBeUndefined();
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
