import type { FakeGateway } from '../gateway.js';
import type { ParsedBody } from '../readBody.js';
import type { FakeDiscordState } from '../state.js';

export interface RouteContext {
  state: FakeDiscordState;
  gateway: FakeGateway;
  params: string[];
  query: URLSearchParams;
  body: ParsedBody;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** null lets the next matching route answer. */
  handle(ctx: RouteContext): RouteResult | null;
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
export const noContent: RouteResult = { status: 204 };
export const notFound = (message: string, code: number): RouteResult => ({ status: 404, body: { message, code } });
