import type { Client } from 'discord.js';
import { missingPermissions, requiredPermissions } from '../../util/requiredPermissions.js';

/**
 * The doctor's answer: per channel, the permissions the bot lacks and what
 * each is for, within one Discord message; or that nothing is missing.
 */
export function permissionReport(client: Client, guildId: string, limit = 2000): string {
  const reports = missingPermissions(client, guildId);
  if (reports.length === 0) return `✅ I have every permission I use (${Object.keys(requiredPermissions).length}) in every channel I can see.`;
  const head = `⚠️ Missing permissions in ${reports.length} channel${reports.length === 1 ? '' : 's'} (grant them to my role, or in each channel's Permissions):`;
  const lines = reports.map((r) => `• <#${r.channelId}>: ${r.missing.map((name) => `**${spaced(name)}** (${requiredPermissions[name]})`).join(', ')}`);
  let text = head;
  for (const [i, line] of lines.entries()) {
    const more = `\n…and ${lines.length - i} more channels`;
    if (text.length + 1 + line.length + more.length > limit) return text + more;
    text += `\n${line}`;
  }
  return text;
}

/** "SendMessagesInThreads" as the Discord settings show it: "Send Messages In Threads". */
export const spaced = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2');
