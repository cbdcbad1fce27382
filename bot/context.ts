import type { Client } from 'discord.js';
import type { Council } from '../core/council.js';
import type { Logger } from '../core/log.js';
import type { GenerationGate } from './functions/guards/generationGate.js';
import type { PersonaWebhooks } from './functions/webhooks/personaWebhooks.js';

/** What commands and events share. */
export interface BotContext {
  council: Council;
  log: Logger;
  client: Client;
  personas: PersonaWebhooks;
  gate: GenerationGate;
  /** Meetings the process's runner shows in their threads through this bot: drained when the bot stops. */
  threadMeetings: Set<string>;
}
