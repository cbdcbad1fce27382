import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../core/paths.js';
import { findTool } from '../support/findTool.js';

const promtool = findTool('promtool', 'prometheus');
const config = readFileSync(join(packageRoot, 'prometheus/prometheus.yml'), 'utf8');

/** The indented command lines of prometheus.yml's comment on checking it from the repository. */
function commentedCheck(): string[] {
  const comment = config.split('\n').filter((line) => line.startsWith('#'));
  const from = comment.findIndex((line) => line.includes('`promtool check config`'));
  return comment.slice(from).filter((line) => line.startsWith('#   ')).map((line) => line.slice(4));
}

describe.runIf(promtool)('prometheus/prometheus.yml, checked by promtool', () => {
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'council-promtool-'));
  });

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Runs bash lines from the repository root, promtool on PATH, mktemp inside this test's folder. */
  function bash(lines: string[]) {
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', lines.join('\n')], {
      cwd: packageRoot,
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: tmp, PATH: `${dirname(promtool!)}:${process.env.PATH ?? ''}` },
      timeout: 60_000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it('passes the full `promtool check config` (not --syntax-only) by the lines its own comment gives', () => {
    const lines = commentedCheck();
    expect(lines.join('\n')).toMatch(/^promtool check config /m);
    expect(lines.join('\n')).not.toContain('--syntax-only');
    const result = bash(lines);
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.output).toMatch(/SUCCESS: \S+\/prometheus\.yml is valid prometheus config file syntax/);
    expect(result.output).toMatch(/Checking \S+\/alerts\.yml\s+SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  it('points every credentials_file at the secret the copy replaces, so the check reads a file that exists', () => {
    const parsed = parse(config) as { scrape_configs: Array<{ job_name: string; authorization?: { credentials_file?: string } }> };
    const files = parsed.scrape_configs.flatMap((scrape) => (scrape.authorization?.credentials_file ? [scrape.authorization.credentials_file] : []));
    expect(files).toEqual(['/run/secrets/metrics_token', '/run/secrets/metrics_token']);
    expect(commentedCheck().join('\n')).toContain('s|/run/secrets/metrics_token|');
  });

  it('fails as the file stands outside Compose, which is why the copy is needed', () => {
    const result = bash(['promtool check config prometheus/prometheus.yml']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('/run/secrets/metrics_token');
  });

  it('fails the copy when the config is broken, so the check can fail', () => {
    const lines = commentedCheck().map((line) => line.replace(/^sed "([^"]+)"/, 'sed -e "$1" -e "s|scrape_interval: 15s|scrape_interval: soon|"'));
    expect(lines.join('\n')).toContain('soon');
    const result = bash(lines);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('soon');
  });
});
