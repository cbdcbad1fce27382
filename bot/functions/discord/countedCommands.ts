import { ApplicationCommandOptionType } from 'discord.js';
import { commands } from '../../commands/index.js';

/** council_discord_commands_total{outcome}. */
export const commandOutcomes = ['ok', 'rejected', 'error'] as const;

/** What the bot counts besides slash commands: its meeting buttons, mentions it answers, and messages posted into a meeting's thread. */
export const componentCommands = ['meeting_stop_button', 'meeting_pause_button', 'meeting_resume_button', 'reply', 'meeting_message'] as const;

/**
 * Every `command` label the bot counts under: each slash command, as
 * `command_subcommand` (or `command_group_subcommand`) when it has
 * subcommands, as interactionCreate names it, then the components. Exported at 0 when the bot starts.
 */
export function countedCommands(): string[] {
  const slash = [...commands.values()].flatMap(({ data }) => {
    const subcommands = (data.options ?? []).flatMap((option) => {
      if (option.type === ApplicationCommandOptionType.Subcommand) return [`${data.name}_${option.name}`];
      if (option.type === ApplicationCommandOptionType.SubcommandGroup) return (option.options ?? []).map((sub) => `${data.name}_${option.name}_${sub.name}`);
      return [];
    });
    return subcommands.length > 0 ? subcommands : [data.name];
  });
  return [...slash, ...componentCommands];
}
