import { ApplicationCommandOptionType } from 'discord.js';
import { commands, messageCommands } from '../../commands/index.js';

/** council_discord_commands_total{outcome}. */
export const commandOutcomes = ['ok', 'rejected', 'error'] as const;

/** What the bot counts besides commands: its meeting and memory list buttons, mentions it answers, and messages posted into a meeting's thread. */
export const componentCommands = ['meeting_stop_button', 'meeting_pause_button', 'meeting_resume_button', 'memory_list_button', 'reply', 'meeting_message'] as const;

/**
 * Every `command` label the bot counts under: each slash command, as
 * `command_subcommand` (or `command_group_subcommand`) when it has
 * subcommands, as interactionCreate names it, each message menu command by
 * its label, then the components. Exported at 0 when the bot starts.
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
  return [...slash, ...[...messageCommands.values()].map((menu) => menu.label), ...componentCommands];
}
