import type { Council } from '../core/council.js';
import type { Jobs } from '../core/jobs/index.js';
import type { Logger } from '../core/log.js';
import type { FailedLoginLimiter } from './middleware/rateLimit/index.js';

export interface BotStatus {
  configured: boolean;
  connected: boolean;
  problem?: string;
}

export interface ControlDeps {
  council: Council;
  log: Logger;
  botStatus: () => BotStatus;
  jobs: Jobs;
  /** How long a readiness result is reused, so scrapes cannot hammer Ollama. */
  readinessCacheMs?: number;
  /** Counts failed admin tokens and API keys per client address; one per app unless a test brings its own. */
  loginLimiter?: FailedLoginLimiter;
  /** Serve /local/cli with this token: set when this process holds embedded PGlite, so CLI commands run here. */
  local?: { token: string };
  /** True once the server drains for a shutdown: /readyz answers 503 from that moment. */
  draining?: () => boolean;
}

export type { ApiCaller, ControlEnv } from './env.js';
