import { Routes, type Client } from 'discord.js';
import type { Config } from '../../../core/config/index.js';
import type { Logger } from '../../../core/log.js';
import { metrics } from '../../../core/metrics.js';
import { ownTask } from '../../../core/tasks/ownTask.js';
import { noteDiscordError } from '../discord/discordErrors.js';
import { countRefusal } from './refusals.js';

/** council_discord_guild_leaves_total{outcome}. */
export const leaveOutcomes = ['left', 'failed'] as const;

/** The line an interaction gets in a server Council does not serve. */
export const notEnabledHere = 'Council is not enabled in this server';

/**
 * Which Discord servers Council serves: those in DISCORD_GUILDS (with
 * DISCORD_GUILD_ID), or every one when it is unset. In any other server it
 * answers nothing and, unless DISCORD_LEAVE_UNKNOWN_GUILDS=false, leaves:
 * a public bot can be added by anyone holding its invite link, and would
 * otherwise run their prompts on this Ollama.
 */
export class GuildGate {
  private readonly allowed: ReadonlySet<string> | null;
  private readonly leave: boolean;
  private readonly handled = new Set<string>();

  constructor(
    config: Pick<Config, 'DISCORD_GUILDS' | 'DISCORD_GUILD_ID' | 'DISCORD_LEAVE_UNKNOWN_GUILDS'>,
    private readonly client: Client,
    private readonly log: Logger,
  ) {
    this.allowed = config.DISCORD_GUILDS ? new Set([...config.DISCORD_GUILDS, ...(config.DISCORD_GUILD_ID ? [config.DISCORD_GUILD_ID] : [])]) : null;
    this.leave = config.DISCORD_LEAVE_UNKNOWN_GUILDS;
  }

  /** The servers named, or null: every server is allowed. */
  get list(): readonly string[] | null {
    return this.allowed ? [...this.allowed] : null;
  }

  /** Outside a server (no guild id) nothing is decided here. */
  allows(guildId: string | null | undefined): boolean {
    return !guildId || !this.allowed || this.allowed.has(guildId);
  }

  /**
   * An event came from a server Council does not serve: counted, and the
   * server is left (or, when leaving is off, logged once). Returns true when
   * the caller must stop there.
   */
  refuse(guildId: string | null | undefined): boolean {
    if (this.allows(guildId)) return false;
    countRefusal('guild_not_allowed');
    this.depart(guildId!);
    return true;
  }

  /** A server added the bot: left at once when Council does not serve it. */
  joined(guildId: string): void {
    if (!this.allows(guildId)) this.depart(guildId);
  }

  /** At ready: every server the bot is in that it does not serve is left. */
  sweep(): void {
    for (const id of this.client.guilds.cache.keys()) this.joined(id);
  }

  /** The ready log's line on where Council answers. */
  describe(): string {
    if (!this.allowed) return 'DISCORD_GUILDS is unset: Council answers in every server the bot is in; set DISCORD_GUILDS to the server ids it may answer in';
    return `Council answers only in ${this.allowed.size} server${this.allowed.size === 1 ? '' : 's'} (DISCORD_GUILDS); in any other it answers nothing${this.leave ? ' and leaves' : ''}`;
  }

  private depart(guildId: string): void {
    if (this.handled.has(guildId)) return;
    this.handled.add(guildId);
    const name = this.client.guilds.cache.get(guildId)?.name;
    if (!this.leave) {
      this.log.warn({ guild: guildId, name }, 'the bot is in a server that is not in DISCORD_GUILDS: it answers nothing there (DISCORD_LEAVE_UNKNOWN_GUILDS=false)');
      return;
    }
    void ownTask(this.log, 'discord-leave-guild', async () => {
      try {
        await this.client.rest.delete(Routes.userGuild(guildId));
        metrics.discordGuildLeaves.inc({ outcome: 'left' });
        this.log.warn({ guild: guildId, name }, 'left a server that is not in DISCORD_GUILDS (someone added the bot with its invite link)');
      } catch (error) {
        metrics.discordGuildLeaves.inc({ outcome: 'failed' });
        noteDiscordError(this.log, 'leave server', error, { guild: guildId });
        // The next event from it tries again.
        this.handled.delete(guildId);
      }
    });
  }
}
