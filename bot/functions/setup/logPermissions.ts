import type { Client } from 'discord.js';
import type { Logger } from '../../../core/log.js';
import { inviteUrl, missingPermissions } from '../../util/requiredPermissions.js';
import { spaced } from './permissionReport.js';

/** At ready: one line saying what the bot lacks, per channel it can see (or that nothing is missing). */
export function logPermissions(client: Client, log: Logger, appId: string): void {
  const lacking = missingPermissions(client);
  if (lacking.length === 0) {
    log.info({ guilds: client.guilds.cache.size }, 'discord permissions: nothing missing in any channel the bot can see');
    return;
  }
  const summary = lacking.map((r) => `#${r.channel} (${r.guild}): ${r.missing.map(spaced).join(', ')}`).join('; ');
  log.warn(
    { channels: lacking.map((r) => ({ guild: r.guild, channel: r.channel, channelId: r.channelId, missing: r.missing })), invite: inviteUrl(appId) },
    `discord permissions missing in ${lacking.length} channel${lacking.length === 1 ? '' : 's'}: ${summary}; grant them to the bot's role (/council doctor lists them in Discord)`,
  );
}
