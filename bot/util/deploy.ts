import { ApplicationIntegrationType, InteractionContextType, Routes, type REST } from 'discord.js';
import { commands, messageCommands } from '../commands/index.js';

/**
 * Registers the slash commands and the message menu commands: on one guild (instant) when DISCORD_GUILD_ID
 * is set, else globally. Every command is for servers only: installed with
 * the server (not to a user's account) and not offered in DMs, where Council
 * has no channel to speak in.
 */
export async function deployCommands(rest: REST, appId: string, guildId?: string): Promise<number> {
  const body = [...commands.values(), ...messageCommands.values()].map((command) => ({ ...command.data, contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall] }));
  await rest.put(guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId), { body });
  return body.length;
}
