import type { SettingKey } from './settingsSchema.js';

/** Comma-separated when there is a comma (names may hold spaces: "cto, Sofia Rossi"), else space-separated. */
const list = (text: string) =>
  text
    .split(text.includes(',') ? ',' : /\s+/)
    .map((part) => part.trim())
    .filter(Boolean);

/** Discord mentions (<@123>, <@!123>, <@&123>) or bare ids, as ids. */
const ids = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((part) => /^<@[!&]?(\d+)>$/.exec(part)?.[1] ?? part);

const numbers: readonly SettingKey[] = ['maxPerChannel', 'maxPerUser', 'queuePerChannel', 'queuePerUser', 'toolApprovalSeconds'];

/**
 * A setting's value as typed in Discord or on the command line, as the JSON
 * the settings take: lists are comma (or else space) separated (mentions allowed for
 * roles and people), on/off and yes/no are booleans, `models` is JSON or
 * `colleague=model` pairs. Anything else is passed on for the schema to judge.
 */
export function parseSettingText(key: SettingKey, text: string): unknown {
  const value = text.trim();
  if (numbers.includes(key)) return /^\d+$/.test(value) ? Number(value) : value;
  switch (key) {
    case 'listening':
      if (/^(on|true|yes|1)$/i.test(value)) return true;
      if (/^(off|false|no|0)$/i.test(value)) return false;
      return value;
    case 'replyMode':
    case 'toolApproval':
      return value.toLowerCase();
    case 'colleagues':
    case 'meetingParticipants':
    case 'tools':
      return list(value);
    case 'allowRoles':
    case 'allowUsers':
    case 'blockRoles':
    case 'blockUsers':
      return ids(value);
    case 'models':
      if (value.startsWith('{')) {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      }
      return Object.fromEntries(
        value
          .split(',')
          .filter((pair) => pair.trim() !== '')
          .map((pair) => pair.split('=', 2).map((part) => part.trim())),
      );
    default:
      return value;
  }
}
