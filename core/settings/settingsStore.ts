import { and, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { placeSettings } from '../db/schema.js';
import type { PlaceSettings, SettingScope } from './settingsSchema.js';

export interface PlaceRow {
  scope: SettingScope;
  id: string;
  guildId: string | null;
  /** The level above, as last told by the face that wrote the row (a thread's channel, a channel's category or guild). */
  parentId: string | null;
  values: PlaceSettings;
  updatedBy: string;
  updatedAt: Date;
}

const columns = {
  scope: placeSettings.scope,
  id: placeSettings.placeId,
  guildId: placeSettings.guildId,
  parentId: placeSettings.parentId,
  values: placeSettings.values,
  updatedBy: placeSettings.updatedBy,
  updatedAt: placeSettings.updatedAt,
};

/** One row per place that sets anything: only the keys it sets. */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  async find(places: ReadonlyArray<{ scope: SettingScope; id: string }>): Promise<PlaceRow[]> {
    if (places.length === 0) return [];
    return (await this.db
      .select(columns)
      .from(placeSettings)
      .where(or(...places.map((place) => and(eq(placeSettings.scope, place.scope), eq(placeSettings.placeId, place.id)))))) as PlaceRow[];
  }

  /** The places whose settings name a model: readiness checks that Ollama has each. */
  async withModels(): Promise<PlaceRow[]> {
    return (await this.db
      .select(columns)
      .from(placeSettings)
      .where(sql`(${placeSettings.values}->'model') is not null or (${placeSettings.values}->'models') is not null`)) as PlaceRow[];
  }

  /** Stores a place's whole set of values; a place left with none loses its row. */
  async write(row: { scope: SettingScope; id: string; guildId: string | null; parentId: string | null; values: PlaceSettings; updatedBy: string }): Promise<void> {
    if (Object.keys(row.values).length === 0) {
      await this.db.delete(placeSettings).where(and(eq(placeSettings.scope, row.scope), eq(placeSettings.placeId, row.id)));
      return;
    }
    const values = { guildId: row.guildId, parentId: row.parentId, values: row.values, updatedBy: row.updatedBy, updatedAt: sql`now()` };
    await this.db
      .insert(placeSettings)
      .values({ scope: row.scope, placeId: row.id, ...values })
      .onConflictDoUpdate({ target: [placeSettings.scope, placeSettings.placeId], set: { ...values, guildId: sql`coalesce(excluded.guild_id, ${placeSettings.guildId})`, parentId: sql`coalesce(excluded.parent_id, ${placeSettings.parentId})` } });
  }
}
