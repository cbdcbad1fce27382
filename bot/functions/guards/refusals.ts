import { exportAtZero, metrics } from '../../../core/metrics.js';

/** council_discord_refused_total{reason}: why Council declined an interaction or a message. */
export const refusalReasons = ['guild_not_allowed'] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export function exportRefusals(): void {
  exportAtZero(metrics.discordRefused, { reason: refusalReasons });
}

export function countRefusal(reason: RefusalReason): void {
  metrics.discordRefused.inc({ reason });
}
