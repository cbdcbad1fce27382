import { Routes, type REST } from 'discord.js';
import { commands } from '../commands/index.js';

/** Registers the slash commands: on one guild (instant) when DISCORD_GUILD_ID is set, else globally. */
export async function deployCommands(rest: REST, appId: string, guildId?: string): Promise<number> {
  const body = [...commands.values()].map((command) => command.data);
  await rest.put(guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId), { body });
  return body.length;
}
