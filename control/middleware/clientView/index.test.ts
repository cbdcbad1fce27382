import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { describe, expect, it } from 'vitest';
import { noSpaceError } from '../../../core/db/noSpace.js';
import { CouncilError } from '../../../core/errors.js';
import { onError } from '../../httpError.js';
import type { ControlEnv } from '../../types.js';
import { clientView } from './index.js';

const backend = 'http://10.1.2.3:11434';
const dataDir = '/srv/council/data';
const app = new Hono<ControlEnv>()
  .use((c, next) => (c.set('baseLog', { child: () => ({ warn() {}, error() {} }) } as never), next()))
  .use('/v1/*', clientView({ backends: [backend], dataDir }))
  .get('/v1/full', () => {
    throw noSpaceError(dataDir, new Error('ENOSPC'));
  })
  .get('/v1/down', () => {
    throw new CouncilError('ollama_unreachable', `cannot reach Ollama at ${backend} (ECONNREFUSED); start it with \`ollama serve\` or fix OLLAMA_BASE_URL`);
  })
  .get('/v1/reply', (c) => c.json({ reply: `You asked about ${backend}`, stats: { model: 'llama3.2', backend, durationMs: 3 } }))
  .get('/v1/events', (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'turn_done', data: JSON.stringify({ type: 'turn_done', content: 'ok', stats: { model: 'm', backend } }), id: '1' });
      await stream.writeSSE({ event: 'error', data: JSON.stringify({ type: 'error', code: 'ollama_stalled', message: `Ollama at ${backend} stopped sending` }) });
      await stream.writeSSE({ event: 'meeting_ended', data: JSON.stringify({ type: 'meeting_ended', status: 'interrupted', error: `no space left in DATA_DIR ${dataDir}: free disk space there` }) });
    }),
  )
  .get('/admin/down', () => {
    throw new CouncilError('ollama_unreachable', `cannot reach Ollama at ${backend} (ECONNREFUSED)`);
  });
app.onError(onError);

describe('clientView middleware', () => {
  it('rewrites the backend and DATA_DIR out of /v1 error bodies, keeping the code and the advice', async () => {
    const full = await app.request('/v1/full');
    expect(full.status).toBe(503);
    expect(await full.json()).toEqual({ error: { code: 'database_error', message: 'no space left in the data folder: the embedded database cannot write; free disk space there (reads keep working, writes resume by themselves)' } });
    const down = await app.request('/v1/down');
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: { message: string } }).error.message).toBe('cannot reach the model server (ECONNREFUSED); start it with `ollama serve` or fix OLLAMA_BASE_URL');
  });

  it('drops stats.backend but leaves what people and agents wrote alone', async () => {
    expect(await (await app.request('/v1/reply')).json()).toEqual({ reply: `You asked about ${backend}`, stats: { model: 'llama3.2', durationMs: 3 } });
  });

  it('rewrites server-sent events the same way, frame by frame, ids kept', async () => {
    const text = await (await app.request('/v1/events')).text();
    expect(text).toContain('id: 1\n');
    expect(text).toContain('"stats":{"model":"m"}');
    expect(text).toContain('"message":"the model server stopped sending"');
    expect(text).toContain('"error":"no space left in the data folder: free disk space there"');
    expect(text).not.toContain('10.1.2.3');
    expect(text).not.toContain(dataDir);
  });

  it('leaves /admin as the operator sees it', async () => {
    expect(((await (await app.request('/admin/down')).json()) as { error: { message: string } }).error.message).toContain(backend);
  });
});
