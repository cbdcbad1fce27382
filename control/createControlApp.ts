import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { bodyTooLarge, onError } from './httpError.js';
import { accessLog } from './middleware/accessLog/index.js';
import { adminAuth } from './middleware/adminAuth/index.js';
import { clientView } from './middleware/clientView/index.js';
import { apiKeyAuth } from './middleware/apiKey/index.js';
import { failedLoginLimiter, refuseWhileBlocked } from './middleware/rateLimit/index.js';
import { requestId } from './middleware/requestId/index.js';
import { adminRoutes } from './routes/admin.js';
import { probeRoutes, readinessRoutes } from './routes/health.js';
import { localRoutes } from './routes/local.js';
import { v1ActionsRoutes } from './routes/v1Actions.js';
import { v1MemoriesRoutes } from './routes/v1Memories.js';
import { v1MessagesRoutes } from './routes/v1Messages.js';
import { v1MeetingControlRoutes } from './routes/v1MeetingControl.js';
import { v1Routes } from './routes/v1.js';
import type { ControlDeps, ControlEnv } from './types.js';

const maxBody = 64 * 1024;

/** The control plane: health, readiness, metrics, the admin API and the /v1 REST API. */
export function createControlApp(deps: ControlDeps) {
  const app = new Hono<ControlEnv>();
  const { TRUST_PROXY: trustProxy, METRICS_TOKEN, ADMIN_TOKEN } = deps.council.config;
  const limiter = deps.loginLimiter ?? failedLoginLimiter();
  app.route('/', probeRoutes(METRICS_TOKEN, { limiter, trustProxy }));
  app.use(requestId());
  app.use(accessLog(deps.log));
  app.onError(onError);
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.route('/', readinessRoutes(deps));
  app.use('/v1/*', clientView({ backends: deps.council.config.OLLAMA_BASE_URL, dataDir: deps.council.config.DATA_DIR }));
  app.use('/v1/*', refuseWhileBlocked(limiter, trustProxy));
  app.use('/v1/*', apiKeyAuth({ keys: deps.council.keys, limiter, trustProxy, open: ['/v1/openapi.json'] }));
  // A chat or consult may carry attachments: room for as many files of the largest size as the config allows, base64 included.
  const { ATTACHMENT_MAX_COUNT: files, ATTACHMENT_MAX_BYTES: fileBytes } = deps.council.config;
  const withFiles = maxBody + Math.ceil((files * fileBytes * 4) / 3);
  const plainLimit = bodyLimit({ maxSize: maxBody, onError: bodyTooLarge('64 KB', 'shorten the message, or split it over several requests') });
  const filesLimit = bodyLimit({ maxSize: withFiles, onError: bodyTooLarge(`${Math.round(withFiles / 1024 / 1024)} MB`, `attach at most ${files} files of ${Math.round(fileBytes / 1024 / 1024)} MB (ATTACHMENT_MAX_COUNT, ATTACHMENT_MAX_BYTES)`) });
  app.use('/v1/*', (c, next) => (c.req.method === 'POST' && /^\/v1\/(agents\/[^/]+\/chat|consult)$/.test(c.req.path) ? filesLimit : plainLimit)(c, next));
  app.route('/v1/meetings', v1MeetingControlRoutes(deps));
  app.route('/v1/actions', v1ActionsRoutes(deps));
  app.route('/v1/memories', v1MemoriesRoutes(deps));
  app.route('/v1/messages', v1MessagesRoutes(deps));
  app.route('/v1', v1Routes(deps));
  if (deps.local) {
    // Loopback only: the peer's own address, never X-Forwarded-For.
    app.use('/local/*', refuseWhileBlocked(limiter, false));
    app.route('/local', localRoutes({ council: deps.council, log: deps.log, token: deps.local.token, limiter }));
  }
  app.use('/admin/*', refuseWhileBlocked(limiter, trustProxy));
  app.use('/admin/*', adminAuth(ADMIN_TOKEN, { limiter, trustProxy }));
  app.route('/admin', adminRoutes(deps));
  return app;
}
