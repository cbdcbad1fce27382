import { startBot, type RunningBot } from '../../bot/startBot.js';
import { createLogger, type Logger } from '../../core/log.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from './openTestCouncil.js';

export interface BotHarness {
  ollama: Awaited<ReturnType<typeof startFakeOllama>>;
  discord: FakeDiscord;
  tc: TestCouncil;
  bot: RunningBot;
  /** Stops the bot, then the council and both fakes, in that order. */
  stop(): Promise<void>;
}

/**
 * A real discord.js bot logged into the Discord stand-in, answered through the
 * Ollama fake, on a fresh Council: what every end-to-end bot test starts from.
 */
export async function startBotHarness(
  options: {
    ollama?: Parameters<typeof startFakeOllama>[0];
    /** Settings for the Council; a function gets the stand-in first (its guild and channel ids). */
    env?: Record<string, string> | ((discord: FakeDiscord) => Record<string, string>);
    /** Where the bot logs (silent by default). */
    log?: Logger;
    /** Shapes the stand-in before the bot connects (a second guild it is already in, the Public Bot switch). */
    beforeBot?: (discord: FakeDiscord) => void;
  } = {},
): Promise<BotHarness> {
  const ollama = await startFakeOllama(options.ollama);
  const discord = await startFakeDiscord();
  options.beforeBot?.(discord);
  const env = typeof options.env === 'function' ? options.env(discord) : options.env;
  const tc = await openTestCouncil({ ollamaUrl: ollama.url, env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: discord.guildId, ...env } });
  const bot = await startBot({ council: tc.council, log: options.log ?? createLogger('silent') });
  return {
    ollama,
    discord,
    tc,
    bot,
    async stop() {
      await bot.stop({ graceMs: 2_000 });
      await tc.dispose();
      await discord.stop();
      await ollama.stop();
    },
  };
}
