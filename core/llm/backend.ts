import { Ollama } from 'ollama';
import { CouncilError } from '../errors.js';
import { metrics } from '../metrics.js';
import { FairLimiter } from './fairLimiter.js';
import { tcpReachable } from './tcpReachable.js';

export interface BackendProbe {
  backend: string;
  ok: boolean;
  problem?: string;
}

/** One Ollama server: its slot limiter and a reachability cache. */
export class Backend {
  readonly limiter: FairLimiter;
  private reachableUntil = 0;
  /** When a call last went silent; cleared by the next call that finishes. Readiness reports it. */
  private lastStallAt: number | null = null;
  private stallMs = 0;

  constructor(
    readonly url: string,
    slots: number,
    private readonly connectTimeoutMs: number,
  ) {
    this.limiter = new FairLimiter(slots, ({ active, queued }) => {
      metrics.llmInFlight.set({ backend: url }, active);
      metrics.llmQueued.set({ backend: url }, queued);
    });
    metrics.llmInFlight.set({ backend: url }, 0);
    metrics.llmQueued.set({ backend: url }, 0);
  }

  get load(): number {
    return this.limiter.inFlight + this.limiter.queued;
  }

  markStalled(stallMs: number): void {
    this.lastStallAt = Date.now();
    this.stallMs = stallMs;
  }

  markAnswered(): void {
    this.lastStallAt = null;
  }

  /**
   * Why this backend is suspect, if a call stalled on it and none has finished
   * since. The report lapses after twice OLLAMA_STALL_MS with no new stall, so a
   * replica taken out of rotation (and so sent no calls) comes back to try again.
   */
  get stallProblem(): string | undefined {
    if (this.lastStallAt === null || Date.now() - this.lastStallAt > 2 * this.stallMs) return undefined;
    const ago = Math.round((Date.now() - this.lastStallAt) / 1000);
    return `Ollama at ${this.url} stopped sending mid-call ${ago} s ago (nothing for ${Math.round(this.stallMs / 1000)} s) and no call has finished since`;
  }

  /** An ollama client whose every request also stops when `signal` does. */
  client(signal?: AbortSignal): Ollama {
    const bound: typeof fetch = (input, init) => {
      const signals = [init?.signal, signal].filter((s): s is AbortSignal => s != null);
      return fetch(input, { ...init, signal: signals.length > 0 ? AbortSignal.any(signals) : null });
    };
    return new Ollama({ host: this.url, fetch: bound });
  }

  /** Fails fast (within the connect timeout) when nothing listens at the backend's address. */
  async ensureReachable(): Promise<void> {
    if (Date.now() < this.reachableUntil) return;
    const problem = await tcpReachable(this.url, this.connectTimeoutMs);
    if (problem) {
      throw new CouncilError('ollama_unreachable', `cannot reach Ollama at ${this.url} (${problem}); start it with \`ollama serve\` or fix OLLAMA_BASE_URL`);
    }
    this.reachableUntil = Date.now() + 5_000;
  }

  /** Readiness: the server answers and has every model we need. */
  async probe(models: string[], timeoutMs = 2_000): Promise<BackendProbe> {
    try {
      const { models: installed } = await this.client(AbortSignal.timeout(timeoutMs)).list();
      const names = new Set(installed.flatMap((m) => [m.name, m.model, m.name.replace(/:latest$/, '')]));
      const missing = models.filter((model) => !names.has(model) && !names.has(`${model}:latest`));
      const stalled = this.stallProblem;
      const ok = missing.length === 0 && !stalled;
      metrics.backendUp.set({ backend: this.url }, ok ? 1 : 0);
      if (missing.length > 0) return { backend: this.url, ok, problem: `Ollama at ${this.url} is missing model ${missing.join(', ')}; run: ollama pull ${missing[0]}` };
      return stalled ? { backend: this.url, ok, problem: stalled } : { backend: this.url, ok };
    } catch (error) {
      metrics.backendUp.set({ backend: this.url }, 0);
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'not reachable';
      return { backend: this.url, ok: false, problem: `Ollama at ${this.url} ${reason}` };
    }
  }
}
