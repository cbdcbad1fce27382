import { CouncilError, isCouncilError } from '../../../core/errors.js';
import { exportAtZero, metrics } from '../../../core/metrics.js';

/**
 * council_discord_refused_total{reason}: why Council declined an interaction
 * or a message: a server not in DISCORD_GUILDS, or a place's settings (a
 * blocked person, someone not on its allow lists, a colleague not allowed
 * there, a message where replies are off).
 */
export const refusalReasons = ['guild_not_allowed', 'blocked', 'not_allowed', 'colleague_disabled', 'reply_off'] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export function exportRefusals(): void {
  exportAtZero(metrics.discordRefused, { reason: refusalReasons });
}

export function countRefusal(reason: RefusalReason): void {
  metrics.discordRefused.inc({ reason });
}

/** A refusal by a place's settings (council.settings.admit): a CouncilError whose details name the reason. */
export function isRefusal(error: unknown): error is CouncilError & { details: { refusal: RefusalReason } } {
  return isCouncilError(error) && error.code === 'forbidden' && (refusalReasons as readonly unknown[]).includes(error.details.refusal);
}
