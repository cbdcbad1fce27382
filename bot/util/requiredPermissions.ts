import { OAuth2Scopes, PermissionFlagsBits, type Client, type GuildBasedChannel } from 'discord.js';

/** Every channel permission the bot uses, and what for: the invite asks for exactly these. */
export const requiredPermissions = {
  ViewChannel: 'see the channel and its commands',
  SendMessages: 'answer in channels',
  SendMessagesInThreads: 'speak in meeting threads',
  CreatePublicThreads: 'open a thread per meeting',
  ManageWebhooks: 'let colleagues speak under their own names and avatars',
  ReadMessageHistory: 'read the reply chain a question belongs to',
  EmbedLinks: 'post meeting minutes as an embed',
  AttachFiles: 'attach minutes.md',
} as const satisfies Partial<Record<keyof typeof PermissionFlagsBits, string>>;

export type RequiredPermission = keyof typeof requiredPermissions;

/** The permissions integer of the invite URL (309774633984). */
export const permissionsInteger: bigint = Object.keys(requiredPermissions).reduce((all, name) => all | PermissionFlagsBits[name as RequiredPermission], 0n);

/** The install link: bot and slash commands scopes, exactly the permissions above. */
export function inviteUrl(appId: string): string {
  const query = new URLSearchParams({ client_id: appId, scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '), permissions: String(permissionsInteger), integration_type: '0' });
  return `https://discord.com/oauth2/authorize?${query.toString()}`;
}

export interface ChannelReport {
  guild: string;
  channel: string;
  channelId: string;
  missing: RequiredPermission[];
}

/**
 * For every text or forum channel the bot can see, the required permissions it
 * lacks there (role grants minus the channel's overwrites, as Discord computes
 * them). Channels it cannot see are not Council's business; threads follow
 * their parent.
 */
export function missingPermissions(client: Client, guildId?: string): ChannelReport[] {
  const reports: ChannelReport[] = [];
  for (const guild of client.guilds.cache.values()) {
    if (guildId && guild.id !== guildId) continue;
    const me = guild.members.me;
    if (!me) continue;
    for (const channel of guild.channels.cache.values()) {
      if (!isConversationChannel(channel)) continue;
      const granted = channel.permissionsFor(me);
      if (!granted?.has(PermissionFlagsBits.ViewChannel)) continue;
      const missing = (Object.keys(requiredPermissions) as RequiredPermission[]).filter((name) => !granted.has(PermissionFlagsBits[name]));
      if (missing.length > 0) reports.push({ guild: guild.name, channel: channel.name, channelId: channel.id, missing });
    }
  }
  return reports;
}

function isConversationChannel(channel: GuildBasedChannel): boolean {
  return !channel.isThread() && (channel.isTextBased() || channel.type === 15) && !channel.isVoiceBased();
}
