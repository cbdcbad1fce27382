import type { Council } from '../core/council.js';
import type { Jobs } from '../core/jobs/index.js';
import type { Logger } from '../core/log.js';

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
}

/** Per-request values: `log` is made lazily by requestLog(c) from `baseLog`. */
export type ControlEnv = { Variables: { requestId: string; baseLog: Logger; log: Logger | undefined } };
