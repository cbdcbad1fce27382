import type { EffectiveSettings } from './settingsSchema.js';

/** Why Council declines someone in a place (a counted, quiet refusal). */
export type PlaceRefusal = 'blocked' | 'not_allowed' | 'colleague_disabled' | 'reply_off';

export interface Person {
  userId: string;
  roleIds: readonly string[];
}

/**
 * Whether this person may use Council here: a block (of them or any of their
 * roles) wins; then, when the place names who is allowed, they must be one of
 * them or hold one of the roles.
 */
export function personRefusal(settings: EffectiveSettings, person: Person): 'blocked' | 'not_allowed' | null {
  if (settings.blockUsers.includes(person.userId) || person.roleIds.some((role) => settings.blockRoles.includes(role))) return 'blocked';
  const restricted = settings.allowUsers.length > 0 || settings.allowRoles.length > 0;
  if (restricted && !settings.allowUsers.includes(person.userId) && !person.roleIds.some((role) => settings.allowRoles.includes(role))) return 'not_allowed';
  return null;
}

export function colleagueAllowed(settings: EffectiveSettings, agentId: string): boolean {
  return settings.colleagues === null || settings.colleagues.includes(agentId);
}

/** The model a colleague answers with here: its own, the place's, or null for MODEL_NAME. */
export function modelFor(settings: EffectiveSettings, agentId: string): string | null {
  return settings.models[agentId] ?? settings.model;
}

export type MessageDecision =
  | { action: 'answer'; agent: string }
  /** Not answered: what it says is taken in as memories of `agent`, the colleague who would answer here (listening). */
  | { action: 'listen'; agent: string }
  | { action: 'ignore' }
  /** Addressed, but not answered here: nothing is said in the channel; the refusal is counted. */
  | { action: 'refuse'; reason: PlaceRefusal };

/**
 * What Council does with a message in a place: `addressed` is the colleague
 * it names (by name, mention or reply), or null. In `mentions` mode only an
 * addressed message is answered; in `ambient` any message is, by the default
 * colleague (or the first allowed one); in `off` none is. A message that is
 * not answered is listened to when the place listens: its facts become
 * memories of that same colleague, so they are recalled where it answers.
 */
export function decideMessage(settings: EffectiveSettings, input: { addressed: string | null; person: Person; allColleagues: readonly string[] }): MessageDecision {
  const refusal = personRefusal(settings, input.person);
  if (refusal) return input.addressed ? { action: 'refuse', reason: refusal } : { action: 'ignore' };
  const main = [settings.defaultColleague, ...(settings.colleagues ?? input.allColleagues)].find((agent): agent is string => agent !== null && colleagueAllowed(settings, agent));
  const unanswered: MessageDecision = settings.listening && main ? { action: 'listen', agent: main } : { action: 'ignore' };
  if (settings.replyMode === 'off') return input.addressed ? { action: 'refuse', reason: 'reply_off' } : unanswered;
  if (input.addressed) return colleagueAllowed(settings, input.addressed) ? { action: 'answer', agent: input.addressed } : { action: 'refuse', reason: 'colleague_disabled' };
  if (settings.replyMode === 'mentions' || !main) return unanswered;
  return { action: 'answer', agent: main };
}
