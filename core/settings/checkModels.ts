import type { Backend } from '../llm/backend.js';

/**
 * Whether every backend has the models a setting names (Ollama's /api/tags):
 * calls may go to any backend, so a model one of them lacks would fail there.
 * Returns one line saying what to do, or null.
 */
export async function modelProblem(backends: readonly Backend[], models: readonly string[]): Promise<string | null> {
  const wanted = [...new Set(models)];
  if (wanted.length === 0) return null;
  for (const backend of backends) {
    let names: Set<string>;
    try {
      const { models: installed } = await backend.client(AbortSignal.timeout(3_000)).list();
      names = new Set(installed.flatMap((m) => [m.name, m.model, m.name.replace(/:latest$/, '')]));
    } catch {
      return `cannot check the model: Ollama at ${backend.url} does not answer; try again when it does`;
    }
    const missing = wanted.filter((model) => !names.has(model) && !names.has(`${model}:latest`));
    if (missing.length > 0) return `Ollama at ${backend.url} does not have ${missing.join(', ')}; run: ollama pull ${missing[0]}`;
  }
  return null;
}
