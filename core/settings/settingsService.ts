import type { z } from 'zod';
import type { AgentRegistry } from '../agents/agentRegistry.js';
import type { AuditLog } from '../auth/auditLog.js';
import type { Config } from '../config/index.js';
import { CouncilError } from '../errors.js';
import type { Backend } from '../llm/backend.js';
import type { Caller } from '../memory/scope.js';
import { modelProblem } from './checkModels.js';
import { colleagueAllowed, decideMessage, modelFor, personRefusal, type MessageDecision, type PlaceRefusal } from './placeRules.js';
import { defaultSettings, resolveSettings, type ResolvedSettings, type SettingsLevel } from './resolveSettings.js';
import { changeRefusal, readRefusal } from './settingsAccess.js';
import { placeSettingsSchema, settingKeys, settingScopes, settingsPatchSchema, type EffectiveSettings, type PlaceSettings, type SettingKey, type SettingScope } from './settingsSchema.js';
import type { SettingsSignals } from './settingsSignals.js';
import type { PlaceRow, SettingsStore } from './settingsStore.js';

/** A place in a Discord server, as far as it is known; a thread's channel and a channel's category may be missing. */
export type PlaceRef = Partial<Record<SettingScope, string | null>>;

/** The settings in force at a place, with where each comes from. */
export interface PlaceView extends ResolvedSettings {
  /** The model a colleague answers with here; null: MODEL_NAME. */
  modelFor(agentId: string): string | null;
  /** The colleague may answer here (the place's colleagues list). */
  allows(agentId: string): boolean;
}

/** One place's own settings (what it sets) and what is in force there. */
export interface PlaceSettingsView {
  scope: SettingScope;
  id: string;
  guildId: string | null;
  own: PlaceSettings;
  effective: ResolvedSettings;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** Nearest first: what a thread does not set, its channel decides, then the category, then the server. */
const nearestFirst: readonly SettingScope[] = ['thread', 'channel', 'category', 'guild'];

/** A cached row (or its absence) is read again after this long even if no signal came. */
const freshMs = 30_000;

const refusalLines: Record<Exclude<PlaceRefusal, 'colleague_disabled'>, string> = {
  blocked: 'Council does not answer you here: this server\'s settings block you',
  not_allowed: 'Council answers only some roles and people here, and you are not one of them',
  reply_off: 'Council does not answer messages here; use its slash commands',
};

const key = (scope: SettingScope, id: string) => `${scope}:${id}`;

/**
 * Settings per place, inherited thread -> channel -> category -> guild ->
 * defaults, for every face. A change is stored, audited, then signalled, so
 * every process reads it again at once (and after 30 s at most if a signal
 * was lost). Who may read and change a place is decided here from the
 * Caller (core/settings/settingsAccess.ts); so is who may use Council at a
 * place and which colleague answers (core/settings/placeRules.ts).
 */
export class SettingsService {
  private readonly cache = new Map<string, { row: PlaceRow | null; at: number }>();
  private readonly defaults: EffectiveSettings;
  private readonly unsubscribe: () => void;
  private pinTools: ((names: readonly string[]) => Promise<string[]>) | null = null;

  constructor(
    private readonly store: SettingsStore,
    private readonly signals: SettingsSignals,
    config: Config,
    private readonly agents: AgentRegistry,
    private readonly backends: readonly Backend[],
    private readonly audit: AuditLog,
  ) {
    this.defaults = defaultSettings(config);
    this.unsubscribe = signals.subscribe((change) => this.cache.delete(key(change.scope, change.id)));
  }

  /** How `tools` are pinned to the definitions offered when they are allowed (the tools service). */
  pinToolsWith(pin: (names: readonly string[]) => Promise<string[]>): void {
    this.pinTools = pin;
  }

  readonly keys: readonly SettingKey[] = settingKeys;
  readonly scopes: readonly SettingScope[] = settingScopes;

  /** The settings in force where the caller is; outside Discord, the defaults. */
  async at(caller: Caller): Promise<PlaceView> {
    return this.effective(placeOf(caller));
  }

  async effective(place: PlaceRef): Promise<PlaceView> {
    const chain = nearestFirst.flatMap((scope) => (place[scope] ? [{ scope, id: place[scope] }] : []));
    const rows = await this.rows(chain);
    const levels: SettingsLevel[] = chain.flatMap(({ scope, id }) => {
      const row = rows.get(key(scope, id));
      return row ? [{ scope, id, values: row.values }] : [];
    });
    const resolved = resolveSettings(levels, this.defaults);
    return { ...resolved, modelFor: (agentId) => modelFor(resolved.values, agentId), allows: (agentId) => colleagueAllowed(resolved.values, agentId) };
  }

  /**
   * Lets the caller use Council here with these colleagues, or refuses with
   * one line: CouncilError 'forbidden' whose details.refusal says why
   * (blocked, not_allowed, colleague_disabled). Outside Discord nothing is refused.
   */
  async admit(caller: Caller, agents: readonly string[] = []): Promise<PlaceView> {
    const view = await this.at(caller);
    if (!caller.guildId) return view;
    const refusal = personRefusal(view.values, personOf(caller));
    if (refusal) throw refused(refusal, refusalLines[refusal]);
    const disabled = agents.filter((agent) => !colleagueAllowed(view.values, agent));
    if (disabled.length > 0) {
      const names = disabled.map((agent) => this.agents.find(agent)?.name ?? agent).join(', ');
      const here = (view.values.colleagues ?? []).map((agent) => this.agents.find(agent)?.name ?? agent).join(', ');
      throw refused('colleague_disabled', `${names} ${disabled.length === 1 ? 'is' : 'are'} not available here; colleagues here: ${here || 'none'}`);
    }
    return view;
  }

  /** What Council does with a message where the caller is (see placeRules.decideMessage), with the place's settings. */
  async decideMessage(caller: Caller, addressed: string | null): Promise<{ decision: MessageDecision; view: PlaceView }> {
    const view = await this.at(caller);
    return { decision: decideMessage(view.values, { addressed, person: personOf(caller), allColleagues: this.agents.ids }), view };
  }

  /** One place's own settings and what is in force there; `parents` names the levels above it when known (else as last stored). */
  async show(scope: SettingScope, id: string, caller: Caller, parents: PlaceRef = {}): Promise<PlaceSettingsView> {
    const refusal = readRefusal(caller, checkScope(scope), id);
    if (refusal) throw new CouncilError('forbidden', refusal);
    return this.view(scope, id, { ...parents, ...placeOf(caller), [scope]: id });
  }

  /**
   * Sets some keys of a place; `null` clears one (it inherits again). Every
   * key and value is checked (unknown keys and bad values refused in one
   * line each, colleagues against the roster, models against every backend's
   * /api/tags), then stored, audited and signalled.
   */
  async set(scope: SettingScope, id: string, patch: unknown, caller: Caller, parents: PlaceRef = {}): Promise<PlaceSettingsView> {
    const refusal = changeRefusal(caller, checkScope(scope), id);
    if (refusal) throw new CouncilError('forbidden', refusal);
    const changes = parsePatch(patch);
    const colleagues = [...(changes.colleagues ?? []), ...(changes.meetingParticipants ?? []), ...(changes.defaultColleague ? [changes.defaultColleague] : []), ...Object.keys(changes.models ?? {})];
    for (const agent of colleagues) this.agents.get(agent);
    const normalised = normaliseAgents(changes, (agent) => this.agents.get(agent).id);
    const problem = await modelProblem(this.backends, [...(normalised.model ? [normalised.model] : []), ...Object.values(normalised.models ?? {})]);
    if (problem) throw new CouncilError('bad_usage', problem);
    if (normalised.tools && normalised.tools.length > 0) {
      if (!this.pinTools) throw new CouncilError('bad_config', 'tools cannot be allowed here: no tool catalogue to pin them to');
      normalised.tools = await this.pinTools(normalised.tools);
    }
    return this.write(scope, id, caller, parents, 'settings.set', normalised, (own) => {
      for (const [name, value] of Object.entries(normalised) as Array<[SettingKey, unknown]>) {
        if (value === null) delete own[name];
        else (own as Record<SettingKey, unknown>)[name] = value;
      }
    });
  }

  /** Clears keys of a place (all of them when none are named): they inherit again. */
  async reset(scope: SettingScope, id: string, keys: readonly string[], caller: Caller, parents: PlaceRef = {}): Promise<PlaceSettingsView> {
    const refusal = changeRefusal(caller, checkScope(scope), id);
    if (refusal) throw new CouncilError('forbidden', refusal);
    const unknown = keys.filter((name) => !(settingKeys as readonly string[]).includes(name));
    if (unknown.length > 0) throw unknownKeys(unknown);
    const cleared = keys.length > 0 ? keys : settingKeys;
    return this.write(scope, id, caller, parents, 'settings.reset', Object.fromEntries(cleared.map((name) => [name, null])), (own) => {
      for (const name of cleared) delete own[name as SettingKey];
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** Settings written by an import: stored already, so every process only has to read them again. */
  async restored(places: ReadonlyArray<{ scope: SettingScope; id: string }>): Promise<void> {
    for (const { scope, id } of places) {
      this.cache.delete(key(scope, id));
      await this.signals.publish({ scope, id }).catch(() => {});
    }
  }

  private async write(scope: SettingScope, id: string, caller: Caller, parents: PlaceRef, action: string, changes: Record<string, unknown>, apply: (own: PlaceSettings) => void): Promise<PlaceSettingsView> {
    const place = await this.complete({ ...parents, ...placeOf(caller), [scope]: id });
    const [row] = await this.store.find([{ scope, id }]);
    const own: PlaceSettings = { ...(row?.values ?? {}) };
    apply(own);
    const parentId = scope === 'thread' ? (place.channel ?? null) : scope === 'channel' ? (place.category ?? null) : null;
    await this.store.write({ scope, id, guildId: place.guild ?? null, parentId, values: placeSettingsSchema.parse(own), updatedBy: caller.ownerId });
    this.cache.delete(key(scope, id));
    await this.audit.record({ actor: caller.ownerId, action, target: key(scope, id), rows: 1, detail: { changes } });
    // Stored first: a signal that is lost only delays the change until the cache is read again.
    await this.signals.publish({ scope, id }).catch(() => {});
    return this.view(scope, id, place);
  }

  private async view(scope: SettingScope, id: string, hint: PlaceRef): Promise<PlaceSettingsView> {
    const place = await this.complete(hint);
    const row = (await this.rows([{ scope, id }])).get(key(scope, id)) ?? null;
    // What is in force at this level: the levels below it do not count.
    const above = Object.fromEntries(nearestFirst.slice(nearestFirst.indexOf(scope)).map((level) => [level, place[level] ?? null])) as PlaceRef;
    const { modelFor: _modelFor, allows: _allows, ...effective } = await this.effective(above);
    return { scope, id, guildId: row?.guildId ?? place.guild ?? null, own: row?.values ?? {}, effective, updatedBy: row?.updatedBy ?? null, updatedAt: row?.updatedAt ?? null };
  }

  /** Fills the levels a face did not name from the rows stored (a thread's channel, a channel's category, the guild). */
  private async complete(hint: PlaceRef): Promise<PlaceRef> {
    const place: PlaceRef = { ...hint };
    for (const scope of nearestFirst) {
      const id = place[scope];
      if (!id) continue;
      const row = (await this.rows([{ scope, id }])).get(key(scope, id));
      if (!row) continue;
      place.guild ??= row.guildId;
      if (scope === 'thread') place.channel ??= row.parentId;
      if (scope === 'channel') place.category ??= row.parentId;
    }
    return place;
  }

  private async rows(places: ReadonlyArray<{ scope: SettingScope; id: string }>): Promise<Map<string, PlaceRow>> {
    const now = Date.now();
    const found = new Map<string, PlaceRow>();
    const stale = places.filter((place) => {
      const cached = this.cache.get(key(place.scope, place.id));
      if (!cached || now - cached.at > freshMs) return true;
      if (cached.row) found.set(key(place.scope, place.id), cached.row);
      return false;
    });
    if (stale.length === 0) return found;
    const rows = await this.store.find(stale);
    for (const place of stale) {
      const row = rows.find((r) => r.scope === place.scope && r.id === place.id) ?? null;
      this.cache.set(key(place.scope, place.id), { row, at: now });
      if (row) found.set(key(place.scope, place.id), row);
    }
    return found;
  }
}

function placeOf(caller: Caller): PlaceRef {
  if (!caller.guildId) return {};
  return { guild: caller.guildId, category: caller.place?.categoryId ?? null, channel: caller.place?.channelId ?? caller.placeId, thread: caller.place?.threadId ?? null };
}

function personOf(caller: Caller): { userId: string; roleIds: readonly string[] } {
  return { userId: caller.ownerId.replace(/^discord:/, ''), roleIds: caller.roleIds ?? [] };
}

function refused(refusal: PlaceRefusal, line: string): CouncilError {
  return new CouncilError('forbidden', line, { details: { refusal } });
}

function checkScope(scope: string): SettingScope {
  if (!(settingScopes as readonly string[]).includes(scope)) throw new CouncilError('bad_usage', `unknown scope "${scope.slice(0, 40)}"; use one of ${settingScopes.join(', ')}`);
  return scope as SettingScope;
}

function unknownKeys(names: readonly string[]): CouncilError {
  return new CouncilError('bad_usage', `unknown setting${names.length === 1 ? '' : 's'} ${names.map((n) => `"${n.slice(0, 40)}"`).join(', ')}; the settings are ${settingKeys.join(', ')}`);
}

/** A change as sent: unknown keys and bad values refused, one line each. */
function parsePatch(patch: unknown): z.infer<typeof settingsPatchSchema> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new CouncilError('bad_usage', 'settings are a JSON object of keys to set, e.g. {"replyMode": "ambient"}; null clears a key');
  const parsed = settingsPatchSchema.safeParse(patch);
  if (parsed.success) return parsed.data;
  const unknown = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
  if (unknown.length > 0) throw unknownKeys(unknown);
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new CouncilError('bad_usage', problems.join('; '), { details: { problems } });
}

/** Colleagues by name or alias become their ids, so stored settings compare with what faces pass. */
function normaliseAgents(changes: z.infer<typeof settingsPatchSchema>, idOf: (agent: string) => string): z.infer<typeof settingsPatchSchema> {
  return {
    ...changes,
    ...(changes.colleagues ? { colleagues: [...new Set(changes.colleagues.map(idOf))] } : {}),
    ...(changes.meetingParticipants ? { meetingParticipants: [...new Set(changes.meetingParticipants.map(idOf))] } : {}),
    ...(changes.defaultColleague ? { defaultColleague: idOf(changes.defaultColleague) } : {}),
    ...(changes.models ? { models: Object.fromEntries(Object.entries(changes.models).map(([agent, model]) => [idOf(agent), model])) } : {}),
  };
}
