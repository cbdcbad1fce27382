import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from '../support/builtEntry.js';
import { waitFor } from '../support/children.js';

/**
 * SIGTERM behind a proxy: the replica must stop taking requests on kept-alive
 * connections at once (it took 19 more over 11 s), say it is not ready from
 * the first moment, finish what is in flight and exit.
 *
 * The model server here only answers /api/tags, and holds those answers while
 * `holding`: a /readyz asked just before the signal is then still in flight
 * when the drain begins, on a kept-alive connection.
 */
let tagsSeen = 0;
let holding = false;
const held: ServerResponse[] = [];
const tags = JSON.stringify({ models: ['llama3.2:latest', 'nomic-embed-text:latest'].map((name) => ({ name, model: name, modified_at: '2026-01-01T00:00:00Z', size: 1, digest: name, details: {} })) });
const answerTags = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(tags);
const modelServer = createServer((req, res) => {
  if (req.url !== '/api/tags') return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  tagsSeen++;
  if (holding) held.push(res);
  else answerTags(res);
});

let dataDir: string;
let server: Server;

beforeAll(async () => {
  await new Promise<void>((resolve) => modelServer.listen(0, '127.0.0.1', resolve));
  dataDir = mkdtempSync(join(tmpdir(), 'council-drain-'));
  server = await startServer({ DATA_DIR: dataDir, OLLAMA_BASE_URL: `http://127.0.0.1:${(modelServer.address() as AddressInfo).port}` });
});
afterAll(async () => {
  holding = false;
  for (const res of held.splice(0)) answerTags(res);
  await server?.stop();
  modelServer.closeAllConnections();
  await new Promise((resolve) => modelServer.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

function get(agent: Agent, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: req.socket as Socket }));
    });
    req.on('error', reject).end();
  });
}

describe('SIGTERM drains the control server', () => {
  it('closes idle kept-alive connections at once, answers what is in flight with Connection: close and /readyz 503, takes no new request on the same agent, and exits 0', async () => {
    // The start's own backend probe is out of the way: the next scheduled one is a whole interval later.
    await waitFor('the start probe of the model server', () => tagsSeen > 0, 60_000);
    const idle = new Agent({ keepAlive: true, maxSockets: 1 });
    const busy = new Agent({ keepAlive: true, maxSockets: 1 });
    const warm = await get(idle, '/healthz');
    expect(warm.status).toBe(200);
    expect(warm.headers.connection).toBe('keep-alive');
    let idleClosed = false;
    warm.socket.once('close', () => (idleClosed = true));
    expect((await get(busy, '/healthz')).status).toBe(200);

    holding = true;
    const seenBefore = tagsSeen;
    let readyAnswered = false;
    const ready = get(busy, '/readyz').finally(() => (readyAnswered = true));
    await waitFor('/readyz to ask the model server', () => tagsSeen > seenBefore, 60_000);
    server.child.kill('SIGTERM');

    // Idle connections go at once, while the /readyz asked before the signal is still waiting on the model server.
    await waitFor('the idle kept-alive connection to close', () => idleClosed, 60_000);
    expect(readyAnswered).toBe(false);
    holding = false;
    for (const res of held.splice(0)) answerTags(res);

    const answer = await ready;
    expect(answer.status).toBe(503);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ ready: false, checks: expect.arrayContaining([{ name: 'shutdown', ok: false, problem: expect.stringContaining('shutting down') }]) });

    // The same agent gets no new request in: its connection was closed and the listener is gone (or, at most, a Connection: close answer).
    const next = await get(busy, '/healthz').then(
      (reply) => reply.headers.connection,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(['close', 'ECONNREFUSED', 'ECONNRESET']).toContain(next);

    expect(await server.exited).toBe(0);
    const lines = server.output().stdout.split('\n');
    const shuttingDown = lines.findIndex((line) => line.includes('shutting down'));
    expect(shuttingDown).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((line) => line.includes('"msg":"stopped"'))).toBeGreaterThan(shuttingDown);
    idle.destroy();
    busy.destroy();
  });
});
