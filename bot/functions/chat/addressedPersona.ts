import type { Role } from '../../../core/roles/roleSchema.js';

export interface Addressed {
  /** The colleague named, if any. */
  role?: Role;
  /** The message without the mention and the name. */
  text: string;
  /** The bot was @mentioned. */
  mentioned: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** What a colleague answers to: the full name, the first name, or the agent id (underscores or spaces). */
const namesOf = (role: Role) => [role.name, role.name.split(' ')[0]!, role.id, role.id.replace(/_/g, ' ')];

/**
 * Who a message speaks to: `Priya: ...` or `Priya Raman, ...` at its start,
 * or `@Council Priya ...` (the bot mentioned with a colleague's name right
 * after, or anywhere in the message). Longest names win, so "Priya Raman"
 * is not read as "Priya" followed by "Raman".
 */
export function addressedPersona(content: string, botUserId: string, roles: readonly Role[]): Addressed {
  const mention = new RegExp(`<@!?${botUserId}>`, 'g');
  const mentioned = mention.test(content);
  const text = content.replace(mention, ' ').replace(/\s+/g, ' ').trim();
  const candidates = roles.flatMap((role) => namesOf(role).map((name) => ({ role, name }))).sort((a, b) => b.name.length - a.name.length);
  for (const { role, name } of candidates) {
    // A name at the start followed by ":" (or, after a mention, "," or a space too).
    const lead = new RegExp(`^@?${escape(name)}(?:\\s*:|${mentioned ? '\\s*,|\\s|$' : '(?!)'})\\s*`, 'i');
    const match = lead.exec(text);
    if (match) return { role, text: text.slice(match[0].length).trim() || text, mentioned };
  }
  if (mentioned) {
    for (const { role, name } of candidates) {
      if (new RegExp(`(^|[^\\p{L}])@?${escape(name)}(?![\\p{L}])`, 'iu').test(text)) return { role, text, mentioned };
    }
  }
  return { text: mentioned ? text : content, mentioned };
}
