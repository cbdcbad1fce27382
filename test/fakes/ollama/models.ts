import { createHash } from 'node:crypto';
import { OllamaHttpError, modelNotFound } from './http.js';
import type { FakeModel } from './types.js';

export const defaultModels: FakeModel[] = [
  { name: 'llama3.2', kind: 'chat' },
  { name: 'nomic-embed-text', kind: 'embedding' },
];

/** Ollama treats "llama3.2" and "llama3.2:latest" as the same model. */
export function fullName(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

const keepAliveMs = 5 * 60_000;

/** Installed models, and which were used lately (what /api/ps lists). */
export class ModelRegistry {
  private readonly installed = new Map<string, FakeModel>();
  private readonly loadedUntil = new Map<string, number>();

  constructor(
    models: Array<string | FakeModel>,
    private readonly defaultDims: number,
  ) {
    for (const model of models) this.add(model);
  }

  add(model: string | FakeModel): void {
    const spec = typeof model === 'string' ? { name: model, kind: 'chat' as const } : model;
    this.installed.set(fullName(spec.name), spec);
  }

  remove(name: string): void {
    this.installed.delete(fullName(name));
    this.loadedUntil.delete(fullName(name));
  }

  /** The model a request names, or Ollama's 404 / 400 when it is missing or cannot do the job. */
  require(name: string, use: 'chat' | 'generate' | 'embed', options: { tools?: boolean } = {}): FakeModel {
    const model = this.installed.get(fullName(name));
    if (!model) throw modelNotFound(name);
    if (use !== 'embed' && model.kind === 'embedding') throw new OllamaHttpError(400, `"${name}" does not support ${use}`);
    // Ollama checks the model's template before anything runs: tools offered to a model that cannot call them are refused.
    if (options.tools && !this.capabilities(model).includes('tools')) throw new OllamaHttpError(400, `registry.ollama.ai/library/${fullName(model.name)} does not support tools`);
    this.loadedUntil.set(fullName(name), Date.now() + keepAliveMs);
    return model;
  }

  dims(model: FakeModel): number {
    return model.dims ?? this.defaultDims;
  }

  tags(): unknown[] {
    return [...this.installed.values()].map((model) => ({
      name: fullName(model.name),
      model: fullName(model.name),
      modified_at: '2026-01-01T00:00:00Z',
      size: model.kind === 'chat' ? 2_019_393_189 : 274_302_450,
      digest: createHash('sha256').update(model.name).digest('hex'),
      details: this.details(model),
    }));
  }

  show(name: string): unknown {
    const model = this.installed.get(fullName(name));
    if (!model) throw modelNotFound(name);
    return {
      modelfile: `FROM ${fullName(model.name)}`,
      parameters: model.kind === 'chat' ? 'stop "<|eot_id|>"' : 'num_ctx 8192',
      template: '{{ .Prompt }}',
      details: this.details(model),
      model_info: model.kind === 'embedding' ? { 'general.architecture': 'nomic-bert', 'nomic-bert.embedding_length': this.dims(model) } : { 'general.architecture': 'llama', 'llama.context_length': 131072 },
      capabilities: this.capabilities(model),
      modified_at: '2026-01-01T00:00:00Z',
    };
  }

  private capabilities(model: FakeModel): string[] {
    return model.kind === 'chat' ? ['completion', ...(model.tools === false ? [] : ['tools']), ...(model.vision ? ['vision'] : [])] : ['embedding'];
  }

  running(): unknown[] {
    const now = Date.now();
    return [...this.loadedUntil]
      .filter(([, until]) => until > now)
      .map(([name, until]) => ({ name, model: name, size: 3_000_000_000, digest: createHash('sha256').update(name).digest('hex'), details: this.details(this.installed.get(name)!), expires_at: new Date(until).toISOString(), size_vram: 3_000_000_000 }));
  }

  private details(model: FakeModel) {
    return model.kind === 'chat'
      ? { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' }
      : { parent_model: '', format: 'gguf', family: 'nomic-bert', families: ['nomic-bert'], parameter_size: '137M', quantization_level: 'F16' };
  }
}
