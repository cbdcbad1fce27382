/** A model Council may call, and what calls it: "default", "embedding", "facilitator", "role qa_engineer", "channel 123 (qa_engineer)". */
export interface ModelUse {
  model: string;
  uses: string[];
}

export interface ModelSources {
  defaultModel: string;
  embedModel: string;
  facilitatorModel?: string | undefined;
  roles: ReadonlyArray<{ id: string; model?: string | undefined }>;
  /** Places whose settings name a model (core/settings): the place's own and one per colleague. */
  places: ReadonlyArray<{ scope: string; id: string; values: { model?: string | undefined; models?: Record<string, string> | undefined } }>;
}

/** Ollama names "llama3.2" and "llama3.2:latest" the same model. */
export const sameModel = (name: string) => name.replace(/:latest$/, '');

/** Every model in use, each once, with everything that uses it, in the order: default, embedding, facilitator, roles, places. */
export function modelsInUse(sources: ModelSources): ModelUse[] {
  const found = new Map<string, ModelUse>();
  const add = (model: string | undefined, use: string) => {
    if (!model) return;
    const entry = found.get(sameModel(model)) ?? { model, uses: [] };
    found.set(sameModel(model), entry);
    entry.uses.push(use);
  };
  add(sources.defaultModel, 'default');
  add(sources.embedModel, 'embedding');
  add(sources.facilitatorModel, 'facilitator');
  for (const role of sources.roles) add(role.model, `role ${role.id}`);
  for (const place of sources.places) {
    add(place.values.model, `${place.scope} ${place.id}`);
    for (const [agent, model] of Object.entries(place.values.models ?? {})) add(model, `${place.scope} ${place.id} (${agent})`);
  }
  return [...found.values()];
}

/** One line per missing model: what uses it and how to get it. */
export function missingModelsProblem(backend: string, missing: readonly ModelUse[]): string {
  const named = missing.map((m) => `${m.model} (${m.uses.join(', ')})`).join('; ');
  return `Ollama at ${backend} is missing ${named}; run: ${missing.map((m) => `ollama pull ${m.model}`).join(' && ')}`;
}
