import type { EffectiveSettings } from '../../../core/settings/settingsSchema.js';
import type { GateLimits } from './generationGate.js';

/** A place's queue caps (settings maxPerChannel, maxPerUser, queuePerChannel, queuePerUser) as the gate's limits. */
export function placeLimits(settings: EffectiveSettings): GateLimits {
  return { perChannel: settings.maxPerChannel, perUser: settings.maxPerUser, queuedPerChannel: settings.queuePerChannel, queuedPerUser: settings.queuePerUser };
}
