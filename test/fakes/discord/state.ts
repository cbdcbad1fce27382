import { botBasePermissions, perm, type PermissionName } from './rules/permissions.js';
import { snowflake } from './snowflake.js';

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  type: number;
  name: string;
  guild_id: string;
  parent_id?: string;
  position?: number;
  permission_overwrites?: Array<{ id: string; type: number; allow: string; deny: string }>;
  thread_metadata?: { archived: boolean; locked: boolean; auto_archive_duration: number; archive_timestamp: string };
  owner_id?: string;
  [key: string]: unknown;
}

export interface FakeWebhook {
  id: string;
  token: string;
  channel_id: string;
  name: string;
  /** Who made it: the bot, or someone else (another integration). */
  owner: FakeUser;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  author: FakeUser;
  webhook_id?: string;
  embeds: unknown[];
  components: unknown[];
  attachments: unknown[];
  timestamp: string;
  edited_timestamp: string | null;
  [key: string]: unknown;
}

export interface FakeInteraction {
  id: string;
  token: string;
  createdAt: number;
  acknowledged: boolean;
  /** The interaction type (2 command, 3 component, 4 autocomplete): only an autocomplete takes choices (8). */
  type: number;
  /** A component's interaction: the message its button is on, which an UPDATE_MESSAGE (7) response rewrites. */
  messageId?: string;
}

export const channelTypes = { text: 0, category: 4, publicThread: 11, forum: 15 } as const;

export interface FakeGuild {
  id: string;
  name: string;
  /** The bot's managed role in this guild: channel overwrites for the bot name it. */
  botRoleId: string;
  /** The bot is in the guild: Discord sends it the guild's events and lets it act there. */
  member: boolean;
}

/** Interaction tokens: the initial response within 3 s, follow-ups and edits for 15 minutes. */
export const interactionAckMs = 3_000;
export const interactionTokenMs = 15 * 60_000;

/** Everything the stand-in knows: the guilds (the first is the one tests use by default), their channels, threads, webhooks, messages and interactions. */
export class FakeDiscordState {
  readonly guildId = snowflake();
  readonly appId = snowflake();
  readonly botRoleId = snowflake();
  readonly guilds = new Map<string, FakeGuild>([[this.guildId, { id: this.guildId, name: 'Test Guild', botRoleId: this.botRoleId, member: true }]]);
  /** The Developer Portal's Public Bot switch (GET /applications/@me bot_public): on by default, as Discord creates applications. */
  botPublic = true;
  /** Roles made in a guild besides @everyone and the bot's. */
  readonly roles: Array<{ id: string; name: string; guildId: string }> = [];
  /** The roles each user holds (user id -> role ids). */
  readonly memberRoles = new Map<string, string[]>();
  readonly bot: FakeUser = { id: this.appId, username: 'Council', global_name: null, discriminator: '0000', avatar: null, bot: true };
  readonly channels = new Map<string, FakeChannel>();
  readonly webhooks = new Map<string, FakeWebhook>();
  readonly messages = new Map<string, FakeMessage>();
  /** Files people attached, served at /attachments/<id>/<name> as Discord's CDN would (the bot downloads them from here). */
  readonly files = new Map<string, { content: Buffer; contentType: string }>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly commands: unknown[] = [];
  readonly textChannelId: string;
  /** What the bot's role grants guild-wide; channels take bits away with overwrites. */
  rolePermissions: bigint;
  /** The Message Content switch in the Developer Portal. */
  messageContentIntent = true;
  /** Added to Date.now() for interaction token ages only, so a test can jump 15 minutes. */
  clockOffsetMs = 0;

  constructor(manageWebhooks: boolean) {
    this.rolePermissions = manageWebhooks ? botBasePermissions : botBasePermissions & ~perm.ManageWebhooks;
    this.textChannelId = this.addChannel('general', channelTypes.text).id;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  addGuild(name: string): FakeGuild {
    const guild: FakeGuild = { id: snowflake(), name, botRoleId: snowflake(), member: true };
    this.guilds.set(guild.id, guild);
    return guild;
  }

  /** The guild a channel belongs to, if the bot is in it. */
  memberGuildOf(channelId: string): FakeGuild | undefined {
    const guild = this.guilds.get(this.channels.get(channelId)?.guild_id ?? '');
    return guild?.member ? guild : undefined;
  }

  addChannel(name: string, type: number, guildId: string = this.guildId): FakeChannel {
    const channel: FakeChannel = { id: snowflake(), type, name, guild_id: guildId, position: this.channels.size, permission_overwrites: [] };
    if (type === channelTypes.forum) Object.assign(channel, { available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0, flags: 0 });
    this.channels.set(channel.id, channel);
    return channel;
  }

  get manageWebhooks(): boolean {
    return (this.rolePermissions & perm.ManageWebhooks) !== 0n;
  }

  set manageWebhooks(allowed: boolean) {
    this.rolePermissions = allowed ? this.rolePermissions | perm.ManageWebhooks : this.rolePermissions & ~perm.ManageWebhooks;
  }

  /** The text channel or forum whose overwrites apply (threads inherit their parent's; a channel in a category keeps its own). */
  permissionHome(channel: FakeChannel): FakeChannel {
    return channel.thread_metadata && channel.parent_id ? (this.channels.get(channel.parent_id) ?? channel) : channel;
  }

  /** The bot's effective permissions in a channel: its role minus the channel's deny overwrite for that role; nothing in a guild it is not in. */
  botPermissions(channelId: string): bigint {
    const channel = this.channels.get(channelId);
    const guild = this.memberGuildOf(channelId);
    if (!channel || !guild) return 0n;
    const overwrite = this.permissionHome(channel).permission_overwrites?.find((o) => o.id === guild.botRoleId);
    return (this.rolePermissions & ~BigInt(overwrite?.deny ?? '0')) | BigInt(overwrite?.allow ?? '0');
  }

  botCan(channelId: string, name: PermissionName): boolean {
    return (this.botPermissions(channelId) & perm[name]) !== 0n;
  }

  /** Grants or takes away one permission from the bot in a channel (and its threads). */
  setChannelPermission(channelId: string, name: PermissionName, allowed: boolean): FakeChannel {
    const channel = this.permissionHome(this.channels.get(channelId)!);
    const overwrites = (channel.permission_overwrites ??= []);
    const roleId = this.guilds.get(channel.guild_id)?.botRoleId ?? this.botRoleId;
    let overwrite = overwrites.find((o) => o.id === roleId);
    if (!overwrite) overwrites.push((overwrite = { id: roleId, type: 0, allow: '0', deny: '0' }));
    const deny = BigInt(overwrite.deny);
    overwrite.deny = String(allowed ? deny & ~perm[name] : deny | perm[name]);
    return channel;
  }

  user(id: string, name: string): FakeUser {
    return { id, username: name.toLowerCase(), global_name: name, discriminator: '0', avatar: null };
  }

  addMessage(channelId: string, author: FakeUser, body: Record<string, unknown>, webhookId?: string): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: this.channels.get(channelId)?.guild_id ?? this.guildId,
      content: String(body.content ?? ''),
      author,
      embeds: (body.embeds as unknown[]) ?? [],
      components: (body.components as unknown[]) ?? [],
      attachments: (body.attachments as unknown[]) ?? [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      type: 0,
      flags: Number(body.flags ?? 0),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      ...(webhookId ? { webhook_id: webhookId } : {}),
    };
    this.messages.set(message.id, message);
    const channel = this.channels.get(channelId);
    if (channel) channel.last_message_id = message.id;
    return message;
  }

  guildPayload(guildId: string = this.guildId): Record<string, unknown> {
    const guild = this.guilds.get(guildId)!;
    const everyone = { id: guild.id, name: '@everyone', permissions: String(perm.ViewChannel | perm.SendMessages | perm.ReadMessageHistory), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
    const botRole = { ...everyone, id: guild.botRoleId, name: 'Council', position: 1, permissions: String(this.rolePermissions), managed: true };
    const others = this.roles.filter((role) => role.guildId === guild.id).map((role, i) => this.rolePayload(role, i));
    const channels = [...this.channels.values()].filter((c) => c.guild_id === guild.id);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      owner_id: '1',
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      system_channel_flags: 0,
      roles: [everyone, botRole, ...others],
      emojis: [],
      stickers: [],
      features: [],
      channels: channels.filter((c) => c.type === channelTypes.text || c.type === channelTypes.forum || c.type === channelTypes.category),
      threads: channels.filter((c) => c.type === channelTypes.publicThread),
      members: [{ user: this.bot, roles: [guild.botRoleId], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      member_count: 2,
      large: false,
      unavailable: false,
      joined_at: new Date().toISOString(),
    };
  }

  rolePayload(role: { id: string; name: string }, index: number): Record<string, unknown> {
    return { id: role.id, name: role.name, permissions: '0', position: 2 + index, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
  }

  botRolePayload(): Record<string, unknown> {
    return (this.guildPayload().roles as Array<Record<string, unknown>>)[1]!;
  }
}
