import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';

const read = (path: string) => readFileSync(join(packageRoot, path), 'utf8');

interface Stage {
  from: string;
  name: string | undefined;
  lines: string[];
}

/** Dockerfile instructions (continuation lines joined, comments dropped), grouped by stage. */
function stages(text: string): Stage[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const result: Stage[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ from: from[1] ?? '', name: from[2], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

const all = stages(read('Dockerfile'));
const runtime = all.at(-1) as Stage;
const instruction = (stage: Stage, keyword: string) => stage.lines.filter((line) => line.toUpperCase().startsWith(`${keyword} `));

describe('Dockerfile', () => {
  it('builds in named stages and runs on a supported Node LTS, node:22-bookworm-slim', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.name, stage.from).toBeTruthy();
    expect(runtime.from).toBe('node:22-bookworm-slim');
    for (const stage of all) expect(stage.from).toBe('node:22-bookworm-slim');
  });

  it('compiles every folder tsconfig.build.json includes, after a clean npm ci', () => {
    const build = all.find((stage) => stage.lines.some((line) => /^RUN npm run build/.test(line))) as Stage;
    expect(build).toBeDefined();
    expect(build.lines).toContain('RUN npm ci --no-audit --no-fund');
    const copied = instruction(build, 'COPY').flatMap((line) => line.split(/\s+/).slice(1, -1));
    const { include } = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    for (const path of [...include, 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) expect(copied, path).toContain(path);
  });

  it('installs only production dependencies in the runtime stage and copies dist, roles and migrations', () => {
    expect(runtime.lines.some((line) => /^RUN npm ci --omit=dev\b/.test(line))).toBe(true);
    const copies = instruction(runtime, 'COPY');
    expect(copies).toContain('COPY --from=build /app/dist ./dist');
    expect(copies).toContain('COPY roles ./roles');
    expect(copies).toContain('COPY core/db/migrations ./core/db/migrations');
    expect(copies.filter((line) => /^COPY \.\s/.test(line))).toEqual([]);
  });

  it('runs as the node user under tini, with a healthcheck that needs no curl', () => {
    const users = instruction(runtime, 'USER');
    expect(users.at(-1)).toBe('USER node');
    expect(runtime.lines.some((line) => /apt-get install .*\btini\b/.test(line))).toBe(true);
    expect(instruction(runtime, 'ENTRYPOINT')).toEqual(['ENTRYPOINT ["/usr/bin/tini", "--"]']);
    expect(instruction(runtime, 'CMD')).toEqual(['CMD ["node", "dist/main.js"]']);
    const [healthcheck] = instruction(runtime, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/fetch\('http:\/\/127\.0\.0\.1:'\+\(process\.env\.CONTROL_PORT\|\|8000\)\+'\/healthz'\)/);
    expect(healthcheck).not.toMatch(/curl|wget/);
    expect(instruction(runtime, 'EXPOSE')).toEqual(['EXPOSE 8000']);
    expect(runtime.lines.some((line) => /^ENV .*DATA_DIR=\/data/.test(line))).toBe(true);
    expect(instruction(runtime, 'VOLUME')).toEqual(['VOLUME ["/data"]']);
  });

  it('keeps secrets, local data and build output out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const entry of ['.git', 'node_modules', 'dist', 'data', 'secrets', 'backups', '.env']) expect(ignored, entry).toContain(entry);
    for (const needed of ['roles', 'core', 'main.ts', 'package.json', 'package-lock.json']) expect(ignored, needed).not.toContain(needed);
  });
});
