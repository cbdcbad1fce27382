import type { ServerResponse } from 'node:http';
import { OllamaHttpError } from './http.js';
import type { Fault } from './types.js';

/** What the request about to be answered is, so a fault strikes only requests it makes sense for. */
export interface FaultTarget {
  path: 'chat' | 'embed';
  structured: boolean;
}

function strikes(fault: Fault, target: FaultTarget): boolean {
  if (fault.path && fault.path !== 'any' && fault.path !== target.path) return false;
  if (fault.mode === 'invalid-json') return target.path === 'chat' && target.structured;
  if (fault.mode === 'drop-after-tokens' || fault.mode === 'stall-after-tokens') return target.path === 'chat';
  return true;
}

/** Faults armed with failNext(), each striking the next `count` matching requests in the order armed. */
export class FaultQueue {
  private readonly pending: Array<{ fault: Fault; remaining: number }> = [];

  arm(fault: Fault): void {
    const count = fault.count ?? 1;
    if (count <= 0 && fault.mode === undefined) this.clear();
    else if (count > 0) this.pending.push({ fault, remaining: count });
  }

  clear(): void {
    this.pending.length = 0;
  }

  take(target: FaultTarget): Fault | undefined {
    const index = this.pending.findIndex((entry) => strikes(entry.fault, target));
    if (index < 0) return undefined;
    const entry = this.pending[index]!;
    if (--entry.remaining === 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}

/**
 * Carries out the faults that strike before any token: throws the HTTP error,
 * resets the socket, or hangs until the client leaves. Returns true when the
 * request is finished with; false for faults that strike later, mid-answer.
 */
export async function strikeBeforeAnswer(fault: Fault | undefined, res: ServerResponse, signal: AbortSignal): Promise<boolean> {
  if (!fault) return false;
  switch (fault.mode) {
    case undefined:
      throw new OllamaHttpError(fault.status ?? 500, fault.error ?? 'fake failure');
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'hang':
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return true;
    default:
      return false;
  }
}
