import type { Logger } from '../log.js';
import type { BackendProbe } from './backend.js';
import type { LlmClient } from './llmClient.js';
import { scheduleBackendProbes } from './probeSchedule.js';
import { waitForIdle } from './waitForIdle.js';

/** The model backends as the faces see them: whether they answer, and where a waiting call stands in their queues. */
export class ModelsService {
  constructor(
    private readonly llm: LlmClient,
    private readonly log: Logger,
  ) {}

  probe(): Promise<BackendProbe[]> {
    return this.llm.probe();
  }

  /** A probe started within `maxAgeMs`, shared, else a new one (LlmClient.recentProbe). */
  recentProbe(maxAgeMs: number): Promise<BackendProbe[]> {
    return this.llm.recentProbe(maxAgeMs);
  }

  /** The models every answering backend has (Ollama's /api/tags), for suggestions; a backend that does not answer is left out. */
  async installed(): Promise<string[]> {
    const lists = await Promise.all(
      this.llm.backends.map((backend) =>
        backend
          .client(AbortSignal.timeout(2_000))
          .list()
          .then(({ models }) => models.map((m) => m.name.replace(/:latest$/, '')))
          .catch(() => null),
      ),
    );
    const answered = lists.filter((list): list is string[] => list !== null);
    return answered.length === 0 ? [] : answered.reduce((common, list) => common.filter((name) => list.includes(name)));
  }

  /** Probes every backend on a timer (council_ollama_backend_up follows them); returns the stop. */
  startProbes(everyMs?: number): () => void {
    return scheduleBackendProbes(this.llm, this.log, everyMs);
  }

  /** Resolves true when no model call runs or waits, false after `timeoutMs`. */
  waitForIdle(timeoutMs: number): Promise<boolean> {
    return waitForIdle(this.llm, timeoutMs);
  }

  /** The best place of a lane's oldest waiting call across backends (0 = next), or null when it waits nowhere. */
  queuePosition(lane: string): number | null {
    const places = this.llm.backends.map((backend) => backend.limiter.positionOf(lane)).filter((p): p is number => p !== null);
    return places.length > 0 ? Math.min(...places) : null;
  }

  /** Calls `onChange` whenever any backend's queue moves; returns the unsubscribe. */
  watchQueues(onChange: () => void): () => void {
    const unwatch = this.llm.backends.map((backend) => backend.limiter.watch(onChange));
    return () => {
      for (const stop of unwatch) stop();
    };
  }
}
