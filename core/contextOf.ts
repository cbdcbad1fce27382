import type { CouncilContext } from './orchestrator/context.js';

/**
 * The stores, database handle and model client behind a Council, for core/
 * only (maintenance jobs): faces go through the services on Council, and a
 * test keeps this module and `.ctx` out of bot/, control/, cli/ and main.ts.
 */
const contexts = new WeakMap<object, CouncilContext>();

export function registerContext(council: object, ctx: CouncilContext): void {
  contexts.set(council, ctx);
}

export function contextOf(council: object): CouncilContext {
  const ctx = contexts.get(council);
  if (!ctx) throw new Error('not an open Council');
  return ctx;
}
