import type { Config } from '../config/index.js';
import { settingKeys, type EffectiveSettings, type PlaceSettings, type SettingKey, type SettingScope } from './settingsSchema.js';

/** One level of a place's chain and what it sets. */
export interface SettingsLevel {
  scope: SettingScope;
  id: string;
  values: PlaceSettings;
}

export type SettingSource = SettingScope | 'default';

export interface ResolvedSettings {
  values: EffectiveSettings;
  /** Where each value comes from: the one level that set it, the levels that added to it (blocks, models), or the defaults. */
  sources: Record<SettingKey, SettingSource[]>;
}

/** What applies where nobody set anything: Discord's queue caps from the environment, every colleague, answer only when addressed. */
export function defaultSettings(config: Pick<Config, 'DISCORD_MAX_PER_CHANNEL' | 'DISCORD_MAX_PER_USER' | 'DISCORD_QUEUE_PER_CHANNEL' | 'DISCORD_QUEUE_PER_USER'>): EffectiveSettings {
  return {
    replyMode: 'mentions',
    colleagues: null,
    defaultColleague: null,
    listening: false,
    model: null,
    models: {},
    allowRoles: [],
    allowUsers: [],
    blockRoles: [],
    blockUsers: [],
    maxPerChannel: config.DISCORD_MAX_PER_CHANNEL,
    maxPerUser: config.DISCORD_MAX_PER_USER,
    queuePerChannel: config.DISCORD_QUEUE_PER_CHANNEL,
    queuePerUser: config.DISCORD_QUEUE_PER_USER,
    meetingParticipants: null,
    // Least privilege: no tool until someone allows one, and a call waits for someone who may manage the server.
    tools: [],
    toolApproval: 'admins',
    toolApprovalSeconds: 120,
  };
}

/** Blocks add up: a person or role blocked at any level stays blocked below it, whatever a nearer level says. */
const cumulative: readonly SettingKey[] = ['blockRoles', 'blockUsers'];

/**
 * The settings in force at a place, from its levels nearest first (thread,
 * channel, category, guild; absent levels left out). A key takes the value of
 * the nearest level that sets it, else the default; block lists are the union
 * of every level's; `models` merges per colleague, the nearest level winning
 * for each. Pure: the store reads the levels, this decides.
 */
export function resolveSettings(levels: readonly SettingsLevel[], defaults: EffectiveSettings): ResolvedSettings {
  const values = { ...defaults, models: { ...defaults.models } } as Record<SettingKey, unknown>;
  const sources = Object.fromEntries(settingKeys.map((key) => [key, ['default']])) as Record<SettingKey, SettingSource[]>;
  for (const key of settingKeys) {
    const setting = levels.filter((level) => level.values[key] !== undefined && level.values[key] !== null);
    if (setting.length === 0) continue;
    if (cumulative.includes(key)) {
      values[key] = [...new Set([...(defaults[key] as string[]), ...setting.flatMap((level) => level.values[key] as string[])])];
      sources[key] = setting.map((level) => level.scope);
    } else if (key === 'models') {
      // Farthest first, so nearer levels overwrite per colleague.
      values.models = Object.assign({ ...defaults.models }, ...[...setting].reverse().map((level) => level.values.models));
      sources.models = setting.map((level) => level.scope);
    } else {
      values[key] = setting[0]!.values[key];
      sources[key] = [setting[0]!.scope];
    }
  }
  return { values: values as unknown as EffectiveSettings, sources };
}
