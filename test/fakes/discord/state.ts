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
  permission_overwrites?: unknown[];
  thread_metadata?: Record<string, unknown>;
  owner_id?: string;
}

export interface FakeWebhook {
  id: string;
  token: string;
  channel_id: string;
  name: string;
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

/** Everything the stand-in knows: one guild, its channels, threads, webhooks and messages. */
export class FakeDiscordState {
  readonly guildId = snowflake();
  readonly appId = snowflake();
  readonly bot: FakeUser = { id: this.appId, username: 'Council', global_name: null, discriminator: '0000', avatar: null, bot: true };
  readonly channels = new Map<string, FakeChannel>();
  readonly webhooks = new Map<string, FakeWebhook>();
  readonly messages = new Map<string, FakeMessage>();
  readonly commands: unknown[] = [];
  readonly textChannelId: string;
  manageWebhooks: boolean;

  constructor(manageWebhooks: boolean) {
    this.manageWebhooks = manageWebhooks;
    this.textChannelId = snowflake();
    this.channels.set(this.textChannelId, { id: this.textChannelId, type: 0, name: 'general', guild_id: this.guildId, position: 0, permission_overwrites: [] });
  }

  user(id: string, name: string): FakeUser {
    return { id, username: name.toLowerCase(), global_name: name, discriminator: '0', avatar: null };
  }

  addMessage(channelId: string, author: FakeUser, body: Record<string, unknown>, webhookId?: string): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: this.guildId,
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
    return message;
  }

  guildPayload(): Record<string, unknown> {
    const everyone = { id: this.guildId, name: '@everyone', permissions: '1071698660929', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
    const botRoleId = `${this.guildId}1`;
    const botRole = { ...everyone, id: botRoleId, name: 'Council', position: 1, permissions: this.manageWebhooks ? '8' : '2048' };
    return {
      id: this.guildId,
      name: 'Test Guild',
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
      roles: [everyone, botRole],
      emojis: [],
      stickers: [],
      features: [],
      channels: [...this.channels.values()].filter((c) => c.type === 0),
      threads: [],
      members: [{ user: this.bot, roles: [botRoleId], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
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
}
