import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { createTestDatabase, hasPostgres } from '../support/postgres.js';
import { findPostgresBin } from '../support/postgresCluster.js';

const password = 'S3cret/pw@x';
const encodedPassword = encodeURIComponent(password);

function run(script: 'backup' | 'restore', args: string[], env: Record<string, string | undefined>) {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete environment[name];
  const result = spawnSync('bash', [join(packageRoot, 'scripts', script), ...args], {
    encoding: 'utf8',
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scripts/backup and scripts/restore without a database', () => {
  it('backup explains itself when DATABASE_URL is missing', () => {
    const result = run('backup', [], { DATABASE_URL: undefined, BACKUP_SOURCE: undefined });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL is not set');
    expect(result.stderr).toContain('usage: scripts/backup');
  });

  it('backup rejects an unknown argument', () => {
    const result = run('backup', ['--everything'], { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown argument: --everything');
  });

  it('restore needs a dump file, and one that pg_dump wrote', () => {
    const missing = run('restore', [], { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('usage: scripts/restore');
    const dir = mkdtempSync(join(tmpdir(), 'council-restore-'));
    try {
      writeFileSync(join(dir, 'notes.dump'), 'hello');
      const wrong = run('restore', ['--yes', join(dir, 'notes.dump')], { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' });
      expect(wrong.status).toBe(2);
      expect(wrong.stderr).toContain('not a pg_dump custom-format archive');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves the URL password into PGPASSWORD, decoded, and leaves a URL that is safe to print', () => {
    const result = spawnSync(
      'bash',
      ['-c', 'source "$1"; split_database_url "$2"; printf "%s\\n%s\\n" "$PGPASSWORD" "$CONNECTION_URL"', '_', join(packageRoot, 'scripts/lib/postgres.sh'), `postgresql://council:${encodedPassword}@db.local:5432/council?sslmode=require`],
      { encoding: 'utf8' },
    );
    expect(result.stdout).toBe(`${password}\npostgresql://council@db.local:5432/council?sslmode=require\n`);
  });
});

describe.runIf(hasPostgres)('scripts/backup and scripts/restore on a real Postgres', () => {
  let database: { url: string; drop(): Promise<void> };
  let name: string;
  let url: string;
  let backupDir: string;
  let dump: string;
  const env = () => ({ DATABASE_URL: url, PG_BIN_DIR: findPostgresBin() ?? undefined, BACKUP_DIR: backupDir, BACKUP_SOURCE: undefined });

  async function withDatabase<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      return await work(sql);
    } finally {
      await sql.end();
    }
  }
  const snapshot = () =>
    withDatabase(async (sql) => ({
      people: await sql`select id, name, tags, profile from people order by id`,
      notes: await sql`select person_id, body from archive.notes order by person_id, body`,
    }));

  beforeAll(async () => {
    database = await createTestDatabase();
    name = new URL(database.url).pathname.slice(1);
    // The throwaway cluster trusts every login, so a password in the URL is accepted and ignored;
    // it is there to prove the scripts never print it.
    url = database.url.replace('://postgres@', `://postgres:${encodedPassword}@`);
    backupDir = mkdtempSync(join(tmpdir(), 'council-backup-'));
    await withDatabase(async (sql) => {
      await sql`create table people (id serial primary key, name text not null, tags text[] not null, profile jsonb)`;
      await sql`create schema archive`;
      await sql`create table archive.notes (person_id int references people(id), body text)`;
      await sql`insert into people (name, tags, profile) values
        ('Ada', '{ops,db}', '{"level": 3}'), ('Zoë ✓', '{}', null), ('Grace', '{"a b"}', '{"nested": {"x": [1, 2]}}')`;
      await sql`insert into archive.notes values (1, 'first'), (1, 'second'), (3, 'línea')`;
    });
  });

  afterAll(async () => {
    await database?.drop();
    if (backupDir) rmSync(backupDir, { recursive: true, force: true });
  });

  it('writes a timestamped custom-format dump, readable only by its owner, and never prints the password', async () => {
    const before = await snapshot();
    expect(before.people).toHaveLength(3);
    const result = run('backup', [], env());
    expect(result.stderr).not.toContain(password);
    expect(result.stderr).not.toContain(encodedPassword);
    expect(result.stdout).not.toContain(encodedPassword);
    expect(result.status, result.stderr).toBe(0);
    dump = result.stdout.trim();
    expect(dump).toMatch(new RegExp(`^${backupDir}/council-\\d{8}-\\d{6}\\.dump$`));
    expect(readdirSync(backupDir)).toEqual([dump.split('/').at(-1)]);
    expect(statSync(dump).mode & 0o077).toBe(0);
    expect(result.stderr).toContain(`postgres@127.0.0.1`);
  });

  it('restores into a database that was dropped and created again', async () => {
    const before = await snapshot();
    const adminUrl = inject('postgresAdminUrl') as string;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
    } finally {
      await admin.end();
    }
    expect(await withDatabase((sql) => sql`select count(*)::int as n from pg_tables where schemaname = 'public'`)).toEqual([{ n: 0 }]);

    const result = run('restore', ['--yes', dump], env());
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).not.toContain(encodedPassword);
    expect(await snapshot()).toEqual(before);
    // The sequence came back too: the next id follows the restored rows.
    const [next] = await withDatabase((sql) => sql`insert into people (name, tags) values ('Linus', '{}') returning id`);
    expect(next?.id).toBe(4);
  });

  it('replaces changed data when restoring over a live database', async () => {
    run('restore', ['--yes', dump], env());
    const before = await snapshot();
    await withDatabase(async (sql) => {
      await sql`delete from archive.notes`;
      await sql`update people set name = 'changed'`;
      await sql`insert into people (name, tags) values ('Extra', '{}')`;
    });
    const result = run('restore', ['--yes', dump], env());
    expect(result.status, result.stderr).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('changes nothing without --yes when there is no terminal to ask', async () => {
    await withDatabase((sql) => sql`update people set name = 'kept' where id = 1`);
    const result = run('restore', [dump], env());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('pass --yes to confirm');
    const [row] = await withDatabase((sql) => sql`select name from people where id = 1`);
    expect(row?.name).toBe('kept');
  });

  it('fails without leaving a partial dump when the database cannot be reached', () => {
    const unreachable = url.replace(/\/[^/]+$/, '/no_such_database');
    const result = run('backup', [], { ...env(), DATABASE_URL: unreachable });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('no_such_database');
    expect(result.stderr).not.toContain(encodedPassword);
    expect(readdirSync(backupDir).filter((file) => file.includes('partial'))).toEqual([]);
    expect(readdirSync(backupDir)).toHaveLength(1);
  });
});
