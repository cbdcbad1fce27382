/**
 * What each model can do, from Ollama's /api/show `capabilities` ("vision",
 * "tools", ...), asked once per model and kept for the process. A failed
 * question is not kept: the next call asks again, and until then the model
 * is taken to have no capabilities, so an image is described, never sent blind.
 */
export class ModelCapabilities {
  private readonly known = new Map<string, Promise<string[]>>();

  constructor(private readonly show: (model: string, signal: AbortSignal) => Promise<string[]>) {}

  of(model: string): Promise<string[]> {
    let pending = this.known.get(model);
    if (!pending) {
      pending = this.show(model, AbortSignal.timeout(5_000)).catch(() => {
        this.known.delete(model);
        return [];
      });
      this.known.set(model, pending);
    }
    return pending;
  }

  async canSee(model: string): Promise<boolean> {
    return (await this.of(model)).includes('vision');
  }
}
