import type { Logger } from '../log.js';
import { ownTask } from '../tasks/ownTask.js';
import type { LlmClient } from './llmClient.js';

/**
 * Probes every backend on a timer, so council_ollama_backend_up follows the
 * backends whether or not anyone calls /readyz (an alert must clear when Ollama
 * comes back). Skips a tick while the previous probe is still out.
 */
export function scheduleBackendProbes(llm: LlmClient, log: Logger, everyMs = 15_000): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void ownTask(log, 'probe-ollama', async () => {
      const probes = await llm.probe();
      for (const probe of probes.filter((p) => !p.ok)) log.debug({ backend: probe.backend, problem: probe.problem }, 'Ollama backend not ready');
    }).finally(() => {
      running = false;
    });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
