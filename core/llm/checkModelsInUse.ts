import type { Check } from '../tasks/checkWithin.js';
import type { Backend } from './backend.js';
import { missingModelsProblem, sameModel, type ModelUse } from './modelsInUse.js';

/**
 * Readiness of the models in use: each backend must have every one, since a
 * call may go to any of them. A backend that does not answer is left to its
 * own check. `models` lists them all with what uses them.
 */
export async function checkModelsInUse(backends: readonly Backend[], uses: readonly ModelUse[], timeoutMs = 2_000): Promise<Check & { models: string[] }> {
  const problems = await Promise.all(
    backends.map(async (backend) => {
      let installed: Set<string>;
      try {
        const { models } = await backend.client(AbortSignal.timeout(timeoutMs)).list();
        installed = new Set(models.flatMap((m) => [sameModel(m.name), sameModel(m.model)]));
      } catch {
        return null;
      }
      const missing = uses.filter((use) => !installed.has(sameModel(use.model)));
      return missing.length > 0 ? missingModelsProblem(backend.url, missing) : null;
    }),
  );
  const problem = problems.filter((p): p is string => p !== null).join('; ');
  return { name: 'models', ok: problem === '', ...(problem ? { problem } : {}), models: uses.map((use) => `${use.model} (${use.uses.join(', ')})`) };
}
