import type { AgentRegistry } from '../../agents/agentRegistry.js';

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compiled = new Map<string, RegExp>();

/**
 * The pattern built once per source: a meeting replays its turns before every
 * step, matching every attendee's names each time. Names come from the role
 * files, so the cache stays as small as the roster.
 */
export function namePattern(source: string): RegExp {
  let pattern = compiled.get(source);
  if (!pattern) compiled.set(source, (pattern = new RegExp(source, 'iu')));
  return pattern;
}

/** The names an attendee answers to: id, id with spaces, full name, first name, aliases. */
export function namesOf(id: string, agents: AgentRegistry): string[] {
  const role = agents.find(id);
  return [id, id.replace(/_/g, ' '), role?.name, role?.name.split(/\s+/)[0], ...(role?.aliases ?? [])].filter((n): n is string => Boolean(n && n.length >= 2));
}

/**
 * The attendee a person's message speaks to: their id, full name, first name
 * or an alias, whichever appears first in the text. Null when nobody is named.
 */
export function findAddressed(text: string, attendees: readonly string[], agents: AgentRegistry): string | null {
  let best: { id: string; at: number } | null = null;
  for (const id of attendees) {
    for (const name of namesOf(id, agents)) {
      const match = namePattern(`(^|[^\\p{L}\\p{N}_])@?${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`).exec(text);
      if (match && (best === null || match.index < best.at)) best = { id, at: match.index };
    }
  }
  return best?.id ?? null;
}

/** The people in the meeting ask to end the current topic ("next topic", "let's move on", "close this topic"). */
export function wantsTopicClosed(text: string): boolean {
  return /\b(next topic|move on|moving on|close (this|the) topic|wrap (it|this) up|that's enough on this|end (this|the) topic)\b/i.test(text);
}
