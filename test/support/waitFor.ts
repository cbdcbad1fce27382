/**
 * Polls `probe` until it returns something truthy and returns that; fails
 * naming `what` after `timeoutMs`. Tests wait on conditions, never on fixed
 * sleeps, so they hold on a busy machine. `what` may be a function, to
 * describe the state at the moment of failure (a child's stderr, say).
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
