import { DiscordAPIError, type Message, type TextChannel, type ThreadChannel, type Webhook } from 'discord.js';
import type { Logger } from '../../../core/log.js';
import type { Role } from '../../../core/roles/roleSchema.js';
import { codes, describeDiscordError, noteDiscordError } from '../discord/discordErrors.js';
import { PacedQueue } from './pacedQueue.js';

const noMentions = { parse: [] as [] };
const messageLimit = 2000;
/** How long "no webhook here" is believed before asking Discord again; permission events clear it sooner. */
export const noWebhookTtlMs = 5 * 60_000;

export interface PersonaMessage {
  id: string;
  edit(content: string): Promise<void>;
}

type Parent = TextChannel;
interface CachedHook {
  hook: Promise<Webhook | null>;
  at: number;
}

/**
 * Speaks as personas in a channel or thread through one webhook per parent
 * channel (created lazily, cached, re-created when Discord says it is gone), so
 * 29 colleagues need no 29 bot accounts. Without a webhook (no Manage Webhooks,
 * or the channel already holds Discord's 15) it falls back to plain bot
 * messages prefixed with the persona's name, says why once, and asks again
 * after a while or when permissions change.
 */
export class PersonaWebhooks {
  private readonly hooks = new Map<string, CachedHook>();
  private readonly announced = new Set<string>();
  /** One paced line per webhook: Discord allows 5 requests per 2 s to a webhook, executes and edits alike, threads included. */
  private readonly lines = new Map<string, PacedQueue>();

  constructor(private readonly log: Logger) {}

  /** Forgets every "no webhook" answer: called when roles or channel permissions change. */
  recheck(): void {
    for (const [id, cached] of this.hooks) {
      const forget = () => {
        if (this.hooks.get(id) === cached) this.hooks.delete(id);
      };
      // A failed lookup is forgotten too: the next message looks again.
      void cached.hook.then((hook) => (hook ? undefined : forget()), forget);
    }
    this.announced.clear();
  }

  /** Characters a persona's message may hold here: less the name prefix when it must go through the bot account. */
  async room(channel: TextChannel | ThreadChannel, role: Role): Promise<number> {
    const parent = parentOf(channel);
    const hook = parent ? await this.webhookFor(parent) : null;
    return hook ? messageLimit : messageLimit - prefixOf(role).length;
  }

  async send(channel: TextChannel | ThreadChannel, role: Role, content: string, extra: { files?: Array<{ attachment: Buffer; name: string }> } = {}): Promise<PersonaMessage> {
    const parent = parentOf(channel);
    const threadId = channel.isThread() ? channel.id : undefined;
    for (let attempt = 0; attempt < 2 && parent; attempt++) {
      const hook = await this.webhookFor(parent);
      if (!hook) break;
      try {
        const line = this.lineFor(hook.id);
        const message = await line.run(() => hook.send({ content, username: webhookUsername(role), ...(role.avatar ? { avatarURL: role.avatar } : {}), allowedMentions: noMentions, ...(threadId ? { threadId } : {}), ...extra }));
        return {
          id: message.id,
          edit: async (text) => {
            try {
              await line.run(() => hook.editMessage(message.id, { content: text, allowedMentions: noMentions, ...(threadId ? { threadId } : {}) }));
            } catch (error) {
              if (error instanceof DiscordAPIError && error.code === codes.UnknownWebhook) this.hooks.delete(parent.id);
              throw error;
            }
          },
        };
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === codes.UnknownWebhook) {
          this.hooks.delete(parent.id);
          continue;
        }
        throw error;
      }
    }
    return this.sendPlain(channel, role, content, extra);
  }

  private lineFor(webhookId: string): PacedQueue {
    let line = this.lines.get(webhookId);
    if (!line) this.lines.set(webhookId, (line = new PacedQueue()));
    return line;
  }

  private async webhookFor(channel: Parent): Promise<Webhook | null> {
    const cached = this.hooks.get(channel.id);
    if (!cached) return this.refresh(channel);
    const hook = await cached.hook;
    if (hook || Date.now() - cached.at < noWebhookTtlMs) return hook;
    // A stale "no": ask Discord again, once, whoever gets here first.
    return this.hooks.get(channel.id) === cached ? this.refresh(channel) : this.webhookFor(channel);
  }

  private refresh(channel: Parent): Promise<Webhook | null> {
    const entry: CachedHook = {
      at: Date.now(),
      hook: (async () => {
        try {
          const existing = (await channel.fetchWebhooks()).find((w) => w.owner?.id === channel.client.user.id && w.token);
          return existing ?? (await channel.createWebhook({ name: 'Council', reason: 'Council personas speak through this webhook' }));
        } catch (error) {
          noteDiscordError(this.log, 'webhook setup', error, { channel: channel.id });
          if (error instanceof DiscordAPIError && [codes.MissingPermissions, codes.MissingAccess, codes.MaximumNumberOfWebhooksReached].includes(Number(error.code))) {
            await this.announce(channel, error);
            return null;
          }
          // Anything else (Discord unavailable) is not remembered: the next message asks again.
          this.hooks.delete(channel.id);
          return null;
        }
      })(),
    };
    this.hooks.set(channel.id, entry);
    return entry.hook;
  }

  /** Says once per channel why colleagues speak through the bot account, in words an admin can act on. */
  private async announce(channel: Parent, error: DiscordAPIError): Promise<void> {
    if (this.announced.has(channel.id)) return;
    this.announced.add(channel.id);
    const why =
      error.code === codes.MaximumNumberOfWebhooksReached
        ? `${describeDiscordError(error)}. Until then colleagues speak through me with their name in front.`
        : 'I lack the **Manage Webhooks** permission here, so colleagues will speak through me with their name in front. Grant it for distinct names and avatars.';
    this.log.warn({ channel: channel.id, code: error.code }, 'no webhook: personas speak through the bot account');
    await channel.send({ content: why, allowedMentions: noMentions }).catch((failure: unknown) => noteDiscordError(this.log, 'webhook notice', failure, { channel: channel.id }));
  }

  private async sendPlain(channel: TextChannel | ThreadChannel, role: Role, content: string, extra: { files?: Array<{ attachment: Buffer; name: string }> }): Promise<PersonaMessage> {
    const prefix = prefixOf(role);
    // Callers split to room(); this only guards a webhook lost mid-answer.
    const fit = (text: string) => (prefix.length + text.length > messageLimit ? `${text.slice(0, messageLimit - prefix.length - 1)}…` : text);
    const message: Message = await channel.send({ content: prefix + fit(content), allowedMentions: noMentions, ...extra });
    return { id: message.id, edit: async (text) => void (await message.edit({ content: prefix + fit(text), allowedMentions: noMentions })) };
  }
}

function parentOf(channel: TextChannel | ThreadChannel): Parent | null {
  return (channel.isThread() ? channel.parent : channel) as Parent | null;
}

export const prefixOf = (role: Role) => `**${role.name}** · ${role.title}\n`;

/** Discord refuses webhook names over 80 characters or containing "discord" or "clyde". */
export function webhookUsername(role: Role): string {
  const name = role.name.replace(/discord/gi, 'Dis\u200bcord').replace(/clyde/gi, 'Cly\u200bde').slice(0, 80).trim();
  return name || 'Colleague';
}
