import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeState } from './state.js';

export interface RouteContext {
  state: FakeState;
  req: IncomingMessage;
  res: ServerResponse;
  /** The parsed JSON body; POST routes only. */
  body: unknown;
  /** Aborts when the client leaves or the fake stops. */
  signal: AbortSignal;
  /** performance.now() when the request arrived. */
  arrivedAt: number;
}

export type Route = (context: RouteContext) => void | Promise<void>;
