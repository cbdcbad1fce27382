import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../context.js';

/** One slash command: its registration data, its handler, and optional autocomplete. */
export interface BotCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** One message context-menu command (a message's Apps menu): its registration data, the label it is counted under, and its handler. */
export interface BotMessageCommand {
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  /** council_discord_commands_total{command}: the menu's name has spaces and capitals. */
  label: string;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void>;
}
