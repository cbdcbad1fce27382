import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../core/paths.js';
import { freePort } from '../support/builtEntry.js';
import { spawnTracked, waitFor, type Child } from '../support/children.js';
import { findTool } from '../support/findTool.js';

const nginx = findTool('nginx', 'nginx');
const read = (path: string) => readFileSync(join(packageRoot, path), 'utf8');

/** Every nginx config the project ships: what Compose mounts into the nginx service, and every deploy/*.conf. */
function shippedConfigs(): string[] {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: { nginx: { volumes: string[] } } };
  const mounted = compose.services.nginx.volumes
    .map((volume) => volume.split(':'))
    .filter(([, target]) => target?.startsWith('/etc/nginx/'))
    .map(([source = '']) => source.replace(/^\.\//, ''));
  const deployed = readdirSync(join(packageRoot, 'deploy')).filter((name) => name.endsWith('.conf')).map((name) => `deploy/${name}`);
  return [...new Set([...mounted, ...deployed])].sort();
}

/**
 * The config as Debian's nginx (1.22, what CI installs) can load it. Two
 * changes only: the upstream `resolve` parameter is removed (it came to
 * open-source nginx in 1.27.3; the Compose image has it), and Compose host
 * names (control:8000) become a local address, since nginx resolves an
 * upstream host name at load time and they exist only on Compose's networks.
 */
function localCopy(config: string, upstream: string): string {
  const copy = config
    .replace(/^(\s*server\s+\S+)\s+resolve\b/gm, '$1')
    .replace(/^(\s*server\s+)[a-z][\w.-]*:\d+/gm, `$1${upstream}`);
  const servers = copy.split('\n').filter((line) => /^\s*server\s+[^\s{]/.test(line));
  expect(servers.length, 'the config has upstream servers').toBeGreaterThan(0);
  for (const line of servers) expect(line).toMatch(new RegExp(`^\\s*server ${upstream.replaceAll('.', '\\.')}(\\s[^\\n]*)?;$`));
  return copy;
}

/**
 * The config logs to /dev/stdout and /dev/stderr; nginx opens those paths,
 * which fails on the socket pairs Node gives a child, so its output goes to a file.
 */
function checkConfig(file: string, prefix: string) {
  const log = `${file}.log`;
  const fd = openSync(log, 'w');
  try {
    const result = spawnSync(nginx!, ['-t', '-q', '-p', prefix, '-e', 'stderr', '-c', file], { stdio: ['ignore', fd, fd], timeout: 30_000 });
    return { status: result.status, output: readFileSync(log, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

describe.runIf(nginx)('nginx configs, checked by nginx', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'council-nginx-t-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the configs Compose mounts', () => {
    expect(shippedConfigs()).toContain('deploy/nginx.conf');
  });

  it('loads every shipped config with `nginx -t`', () => {
    for (const path of shippedConfigs()) {
      const file = join(dir, path.replaceAll('/', '_'));
      writeFileSync(file, localCopy(read(path), '127.0.0.1:8000'));
      const result = checkConfig(file, dir);
      expect({ path, ...result }).toEqual({ path, status: 0, output: '' });
    }
  });

  it('fails `nginx -t` on a duplicate location, so the check above can fail', () => {
    const broken = localCopy(read('deploy/nginx.conf'), '127.0.0.1:8000').replace(/^(\s*location \/ \{)/m, '    location = /metrics {\n      return 404;\n    }\n\n$1');
    const file = join(dir, 'broken.conf');
    writeFileSync(file, broken);
    const result = checkConfig(file, dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('duplicate location "/metrics"');
  });
});

describe.runIf(nginx)('nginx door, running, answers its own errors in the app\'s JSON shape', () => {
  let prefix: string;
  let door: Child;
  let url: string;
  let upstreamPort: number;
  let silent: Server | undefined;
  const held = new Set<Socket>();

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), 'council-nginx-'));
    // Nothing listens on the upstream port until the 504 test holds it open.
    upstreamPort = await freePort();
    const port = await freePort();
    const config = localCopy(read('deploy/nginx.conf'), `127.0.0.1:${upstreamPort}`)
      .replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${port};`)
      // An hour would hold the 504 test that long; only this one value differs for it.
      .replace(/proxy_read_timeout 1h;/, 'proxy_read_timeout 1s;');
    writeFileSync(join(prefix, 'nginx.conf'), config);
    // Through sh only to send nginx's output to a file (see checkConfig); exec keeps one process to signal.
    const log = join(prefix, 'nginx.log');
    const command = `exec "$0" -p "$1" -e stderr -c "$1/nginx.conf" -g "daemon off; pid $1/nginx.pid;" >"$2" 2>&1`;
    door = spawnTracked('sh', ['-c', command, nginx!, prefix, log]);
    url = `http://127.0.0.1:${port}`;
    await waitFor(
      () => `nginx did not start: ${readFileSync(log, 'utf8')}`,
      async () => (await fetch(`${url}/nginx-health`).catch(() => undefined))?.ok,
    );
  });

  afterAll(async () => {
    // SIGKILL of the master alone would leave its workers holding the port.
    if (door?.child.exitCode === null) {
      door.child.kill('SIGTERM');
      await door.exited;
    }
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
    rmSync(prefix, { recursive: true, force: true });
  });

  async function errorOf(response: Response) {
    expect(response.headers.get('content-type')).toBe('application/json');
    return (await response.json()) as { error: { code: string; message: string } };
  }

  it('answers 502 with a JSON error when no replica is reachable', async () => {
    const response = await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    expect(response.status).toBe(502);
    const body = await errorOf(response);
    expect(body.error.code).toBe('upstream_unavailable');
    expect(body.error.message).toMatch(/^[^\n]+$/);
  });

  it('answers 502 in JSON for an import over the /v1 limit too (the error location does not re-apply 64 KB)', async () => {
    const response = await fetch(`${url}/admin/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(100 * 1024, 0x20) });
    expect(response.status).toBe(502);
    expect((await errorOf(response)).error.code).toBe('upstream_unavailable');
  });

  it('answers 413 with a JSON error for a body over 64 KB, before any replica is asked', async () => {
    const response = await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(65 * 1024, 0x20) });
    expect(response.status).toBe(413);
    const body = await errorOf(response);
    expect(body.error.code).toBe('body_too_large');
    expect(body.error.message).toMatch(/^[^\n]+$/);
  });

  it('answers 504 with a JSON error when a replica accepts but never answers', async () => {
    silent = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent!.listen(upstreamPort, '127.0.0.1', resolve));
    const response = await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    expect(response.status).toBe(504);
    expect((await errorOf(response)).error.code).toBe('upstream_timeout');
  });

  it('keeps nginx\'s own 404 for /metrics and /local, which the app never serves through the door', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    expect((await fetch(`${url}/local/cli`)).status).toBe(404);
  });
});
