import type { startBot } from './bot/startBot.js';
import { startControlServer } from './control/startControlServer.js';
import { loadConfig } from './core/config/index.js';
import { Council } from './core/council.js';
import { failureLines } from './core/config/failureLines.js';
import { newEndpointToken, publishLocalEndpoint } from './core/db/localEndpoint.js';
import { ownerOnlyUmask } from './core/db/ownerOnly.js';
import { CouncilError, describeError, toUserMessage } from './core/errors.js';
import { createJobs } from './core/jobs/index.js';
import { createLogger } from './core/log.js';
import { useCheckoutDataDir } from './core/paths.js';
import { superviseMeetings } from './core/meetings/coordination/superviseMeetings.js';
import { installLastResort } from './core/tasks/lastResort.js';

/**
 * `node dist/main.js [all|control|bot]`: one process runs every configured face
 * (the default), or Compose runs the control plane and the bot as two services.
 * Both serve /healthz, /readyz and /metrics on CONTROL_PORT.
 */
type Mode = 'all' | 'control' | 'bot';

async function main(): Promise<void> {
  ownerOnlyUmask();
  useCheckoutDataDir();
  const mode = (process.argv[2] ?? 'all') as Mode;
  if (!['all', 'control', 'bot'].includes(mode)) throw new CouncilError('bad_usage', `unknown mode "${mode}"; use all, control or bot`);
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  let onFatal: (error: unknown) => void = () => process.exit(1);
  installLastResort({ log, onFatal: (error) => onFatal(error) });
  const council = await Council.open({ config, log });
  const jobs = createJobs({ council, log });
  const stopProbes = council.models.startProbes();

  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let botProblem: string | undefined;
  const botStatus = () =>
    bot?.status() ?? { configured: Boolean(config.DISCORD_TOKEN) && mode !== 'control', connected: false, ...(botProblem ? { problem: botProblem } : {}) };

  // Embedded PGlite is this process's alone: CLI commands on the same data folder run here, through a local endpoint.
  const localToken = council.databaseKind === 'pglite' ? newEndpointToken() : undefined;
  const server = await startControlServer({ council, log, botStatus, jobs, ...(localToken ? { local: { token: localToken } } : {}) });
  let unpublish = () => {};
  log.info({ mode, url: server.url, database: council.databaseKind, backends: config.OLLAMA_BASE_URL, model: config.MODEL_NAME }, 'council started');

  if (mode !== 'bot') jobs.start();
  // Takes over meetings nobody holds (a dead runner's, interrupted ones due a resume); those in Discord threads are the bot's.
  const supervisor =
    mode !== 'bot' ? superviseMeetings({ council, log, starter: { accepts: (meeting) => !meeting.discordThreadId, start: (meeting) => void council.meetings.runner.start(meeting.id) } }) : undefined;

  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    const grace = 25_000;
    // Drain first: a proxy's kept-alive connections must stop bringing requests now, not when the model calls end.
    const drained = server.close(grace).catch(() => {});
    log.info({ signal }, 'shutting down: finishing model calls in flight');
    jobs.stop();
    stopProbes();
    supervisor?.stop();
    unpublish();
    // A database that no longer answers (disk full, server gone) must not keep a stopping process alive.
    setTimeout(() => {
      log.error('shutdown did not finish within the grace period; exiting');
      process.exit(exitCode || 1);
    }, grace + 5_000).unref();
    try {
      await Promise.all([drained, bot?.stop({ graceMs: grace }).catch(() => {}), council.meetings.runner.stop(grace), council.models.waitForIdle(grace)]);
      await council.close();
      log.info('stopped');
    } catch (error) {
      log.error({ err: describeError(error) }, 'shutdown could not close everything cleanly');
    }
    process.exit(exitCode);
  };
  onFatal = () => {
    void shutdown('uncaughtException', 1);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Published only once SIGTERM is handled: a signal that reached the process before then killed it with the file left behind.
  if (localToken) unpublish = publishLocalEndpoint(config.DATA_DIR, server.url, localToken);

  if (mode !== 'control' && config.DISCORD_TOKEN) {
    // In `all` mode a Discord outage at boot must not leave the bot off for good: retry with backoff (5 s doubling to 5 min).
    // A refused token or intent needs a new setting, hence a restart, so those are not retried.
    for (let attempt = 0; !bot && !stopping; attempt++) {
      try {
        // discord.js costs ~40 MB resident: loaded only by a process that runs the bot.
        const { startBot } = await import('./bot/startBot.js');
        bot = await startBot({ council, log });
        botProblem = undefined;
      } catch (error) {
        botProblem = toUserMessage(error);
        const code = (error as CouncilError).code;
        log.error({ code, attempt }, botProblem);
        if (mode === 'bot') {
          await server.close().catch(() => {});
          await council.close();
          process.exit(1);
        }
        if (code === 'unauthorized' || code === 'bad_config') break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(300_000, 5_000 * 2 ** attempt)).unref());
      }
    }
  } else if (mode === 'bot') {
    // Compose starts the bot before anyone pasted a token (init-secrets leaves the file empty): exiting would
    // restart-loop it every few seconds. It waits, serving /healthz and /metrics, until restarted with one.
    log.warn('DISCORD_TOKEN is empty: the bot waits idle and connects to nothing; put the bot token in secrets/discord_token (DISCORD_TOKEN_FILE) or DISCORD_TOKEN, then restart it (docker compose restart bot)');
  } else if (mode === 'all') {
    log.info('DISCORD_TOKEN is not set: the Discord bot is off (the control plane runs alone)');
  }
}

main().catch((error: unknown) => {
  for (const line of failureLines(error)) process.stderr.write(`council: ${line}\n`);
  process.exit(error instanceof CouncilError ? error.exitCode : 1);
});
