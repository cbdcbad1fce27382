import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';

/** Every source file of the faces (bot, control plane, CLI, the entry), tests beside them left out. */
function faceFiles(): string[] {
  const files: string[] = [join(packageRoot, 'main.ts')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(path);
    }
  };
  for (const face of ['bot', 'control', 'cli']) walk(join(packageRoot, face));
  return files;
}

/** Lines of the faces that match, as `file:line: text`. */
function offending(pattern: RegExp): string[] {
  return faceFiles().flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${relative(packageRoot, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('the faces reach the core only through the services on Council', () => {
  it('finds the faces it checks', () => {
    const files = faceFiles().map((file) => relative(packageRoot, file));
    expect(files).toContain('main.ts');
    expect(files).toContain(join('control', 'createControlApp.ts'));
    expect(files).toContain(join('bot', 'startBot.ts'));
    expect(files).toContain(join('cli', 'runCli.ts'));
  });

  it('no face reads council.ctx or the core-only context accessor', () => {
    expect(offending(/\.ctx\b(?!\s*:)|contextOf/)).toEqual([]);
  });

  it('no face builds a store or the audit log from a database handle', () => {
    expect(offending(/new (\w+Store|AuditLog)\(/)).toEqual([]);
  });

  it('no face decides who may steer a meeting: the core does (core/meetings/meetingAccess.ts)', () => {
    expect(offending(/mayControlMeeting|mayReadMeeting|ownerId\s*!==|\.ownerId\s*===/)).toEqual([]);
  });
});
