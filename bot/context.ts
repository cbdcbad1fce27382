import type { Client } from 'discord.js';
import type { Council } from '../core/council.js';
import type { Logger } from '../core/log.js';
import type { GenerationGate } from './functions/guards/generationGate.js';
import type { GuildGate } from './functions/guards/guildGate.js';
import type { Removals } from './functions/moderation/removals.js';
import type { DiscordApprovals } from './functions/tools/discordApprovals.js';
import type { PersonaWebhooks } from './functions/webhooks/personaWebhooks.js';

/** What commands and events share. */
export interface BotContext {
  council: Council;
  log: Logger;
  client: Client;
  personas: PersonaWebhooks;
  gate: GenerationGate;
  /** The servers Council serves (DISCORD_GUILDS): every event from another is refused, and the bot leaves it. */
  guilds: GuildGate;
  /** Messages and meeting threads moderators remove while Council uses them. */
  removals: Removals;
  /** What GET /applications/@me said at ready (bot_public): /council doctor warns while it is true. */
  application: { botPublic?: boolean };
  /**
   * Meetings the process's runner shows in their threads through this bot, with how many of its runs
   * hold each (a resume pressed while the last run ends starts the next before the last is gone):
   * drained when the bot stops.
   */
  threadMeetings: Map<string, number>;
  /** Tool calls waiting for Approve or Deny in their channel. */
  approvals: DiscordApprovals;
}
