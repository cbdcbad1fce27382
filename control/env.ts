import type { Logger } from '../core/log.js';
import type { Caller } from '../core/memory/scope.js';

/** Who is calling /v1: an API key as the core's Caller (no Discord place), set by the apiKey middleware; what the key writes is owned by `ownerId`. */
export interface ApiCaller extends Caller {
  ownerId: `key:${string}`;
  keyId: string;
  name: string;
}

/** Per-request values (a leaf the middleware can import without the app's dependencies): `log` is made lazily by requestLog(c) from `baseLog`. */
export type ControlEnv = { Variables: { requestId: string; baseLog: Logger; log: Logger | undefined; caller: ApiCaller } };
