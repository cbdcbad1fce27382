import type { Council } from '../core/council.js';
import type { BotStatus } from './types.js';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  problem?: string;
  models?: string[];
  degraded?: boolean;
}

/**
 * Ready when the database answers, every Ollama backend has the model, and the
 * bot (when configured) is connected. Results are reused for `cacheMs`.
 */
export function readinessProbe(council: Council, botStatus: () => BotStatus, cacheMs: number) {
  let cached: { at: number; checks: ReadinessCheck[] } | undefined;
  let inFlight: Promise<ReadinessCheck[]> | undefined;
  return async (): Promise<ReadinessCheck[]> => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.checks;
    inFlight ??= (async () => {
      const checks: ReadinessCheck[] = await council.checks();
      const bot = botStatus();
      if (!bot.configured) checks.push({ name: 'discord', ok: true, problem: 'bot is off (DISCORD_TOKEN not set)' });
      else checks.push({ name: 'discord', ok: bot.connected, ...(bot.connected ? {} : { problem: bot.problem ?? 'bot is not connected to Discord' }) });
      cached = { at: Date.now(), checks };
      return checks;
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
