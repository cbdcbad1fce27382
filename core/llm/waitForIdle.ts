import { setTimeout as sleep } from 'node:timers/promises';
import type { LlmClient } from './llmClient.js';

/** Resolves when no model call is running or queued, or after `timeoutMs`: a graceful stop lets turns finish. */
export async function waitForIdle(llm: LlmClient, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (llm.backends.every((backend) => backend.load === 0)) return true;
    await sleep(100);
  }
  return false;
}
