import { DiscordAPIError, type Message, type TextChannel, type ThreadChannel, type Webhook } from 'discord.js';
import type { Logger } from '../../../core/log.js';
import type { Role } from '../../../core/roles/roleSchema.js';

const unknownWebhook = 10015;
const missingPermissions = 50013;
const noMentions = { parse: [] as [] };

export interface PersonaMessage {
  id: string;
  edit(content: string): Promise<void>;
}

/**
 * Speaks as personas in a channel or thread through one webhook per parent
 * channel (created lazily, cached, re-created when Discord says it is gone), so
 * 29 colleagues need no 29 bot accounts. Without Manage Webhooks it falls back
 * to plain bot messages prefixed with the persona's name, and says so once.
 */
export class PersonaWebhooks {
  private readonly hooks = new Map<string, Promise<Webhook | null>>();
  private readonly announced = new Set<string>();

  constructor(private readonly log: Logger) {}

  async send(channel: TextChannel | ThreadChannel, role: Role, content: string, extra: { files?: Array<{ attachment: Buffer; name: string }>; components?: never[] } = {}): Promise<PersonaMessage> {
    const parent = (channel.isThread() ? channel.parent : channel) as TextChannel | null;
    const threadId = channel.isThread() ? channel.id : undefined;
    for (let attempt = 0; attempt < 2 && parent; attempt++) {
      const hook = await this.webhookFor(parent);
      if (!hook) break;
      try {
        const message = await hook.send({ content, username: role.name.slice(0, 80), ...(role.avatar ? { avatarURL: role.avatar } : {}), allowedMentions: noMentions, ...(threadId ? { threadId } : {}), ...extra });
        return { id: message.id, edit: async (text) => void (await hook.editMessage(message.id, { content: text, allowedMentions: noMentions, ...(threadId ? { threadId } : {}) })) };
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === unknownWebhook) {
          this.hooks.delete(parent.id);
          continue;
        }
        throw error;
      }
    }
    return this.sendPlain(channel, role, content, extra);
  }

  private webhookFor(channel: TextChannel): Promise<Webhook | null> {
    let hook = this.hooks.get(channel.id);
    if (!hook) {
      hook = (async () => {
        try {
          const existing = (await channel.fetchWebhooks()).find((w) => w.owner?.id === channel.client.user.id && w.token);
          return existing ?? (await channel.createWebhook({ name: 'Council', reason: 'Council personas speak through this webhook' }));
        } catch (error) {
          if (error instanceof DiscordAPIError && (error.code === missingPermissions || error.status === 403)) return null;
          throw error;
        }
      })();
      this.hooks.set(channel.id, hook);
      hook.catch(() => this.hooks.delete(channel.id));
    }
    return hook;
  }

  private async sendPlain(channel: TextChannel | ThreadChannel, role: Role, content: string, extra: { files?: Array<{ attachment: Buffer; name: string }> }): Promise<PersonaMessage> {
    const key = channel.isThread() ? (channel.parentId ?? channel.id) : channel.id;
    if (!this.announced.has(key)) {
      this.announced.add(key);
      this.log.warn({ channel: key }, 'no Manage Webhooks permission: personas speak through the bot account');
      await channel.send({ content: 'I lack the **Manage Webhooks** permission here, so colleagues will speak through me with their name in front. Grant it for distinct names and avatars.', allowedMentions: noMentions });
    }
    const prefix = `**${role.name}** · ${role.title}\n`;
    const message: Message = await channel.send({ content: prefix + content, allowedMentions: noMentions, ...extra });
    return { id: message.id, edit: async (text) => void (await message.edit({ content: prefix + text, allowedMentions: noMentions })) };
  }
}
