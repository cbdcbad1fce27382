import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Council } from '../core/council.js';
import { CouncilError, toUserMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { exportAtZero, metrics, registerBotMetrics } from '../core/metrics.js';
import { botTasks } from '../core/tasks/backgroundTasks.js';
import { ownTask } from '../core/tasks/ownTask.js';
import type { BotContext } from './context.js';
import { onInteractionCreate } from './events/interactionCreate.js';
import { onMessageCreate } from './events/messageCreate.js';
import { superviseMeetings } from '../core/meetings/coordination/superviseMeetings.js';
import { threadMeetingStarter } from './functions/meetings/threadMeetingStarter.js';
import { commandOutcomes, countedCommands } from './functions/discord/countedCommands.js';
import { GenerationGate } from './functions/guards/generationGate.js';
import { GuildGate, leaveOutcomes } from './functions/guards/guildGate.js';
import { exportRefusals } from './functions/guards/refusals.js';
import { Removals, type Dispatch } from './functions/moderation/removals.js';
import { DiscordApprovals } from './functions/tools/discordApprovals.js';
import { fetchBotPublic, publicBotWarning } from './functions/setup/publicBot.js';
import { logPermissions } from './functions/setup/logPermissions.js';
import { PersonaWebhooks } from './functions/webhooks/personaWebhooks.js';
import { deployCommands } from './util/deploy.js';

export interface RunningBot {
  status(): { configured: boolean; connected: boolean; problem?: string };
  /** Lets meetings finish their turn in flight (up to graceMs), then disconnects. */
  stop(options?: { graceMs?: number }): Promise<void>;
}


/**
 * Logs the bot in, registers its commands and wires its events. Rejects with
 * one line (CouncilError 'unauthorized') when Discord refuses the token.
 */
export async function startBot(input: { council: Council; log: Logger }): Promise<RunningBot> {
  const { council } = input;
  const config = council.config;
  const log = input.log.child({ face: 'bot' });
  if (!config.DISCORD_TOKEN) throw new CouncilError('bad_config', 'DISCORD_TOKEN is not set');
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    // Internal sharding: one process, as many gateway shards as Discord asks for (a single shard is closed with 4011 at 2,500 guilds).
    ...(config.DISCORD_SHARDS === 'auto' ? { shards: 'auto' as const } : { shards: [...Array(config.DISCORD_SHARDS).keys()], shardCount: config.DISCORD_SHARDS }),
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    ...(config.DISCORD_API_URL ? { rest: { api: config.DISCORD_API_URL } } : {}),
  });
  const ctx: BotContext = {
    council,
    log,
    client,
    personas: new PersonaWebhooks(log),
    gate: new GenerationGate({
      perChannel: config.DISCORD_MAX_PER_CHANNEL,
      perUser: config.DISCORD_MAX_PER_USER,
      queuedPerUser: config.DISCORD_QUEUE_PER_USER,
      queuedPerChannel: config.DISCORD_QUEUE_PER_CHANNEL,
    }),
    threadMeetings: new Map(),
    guilds: new GuildGate(config, client, log),
    removals: new Removals(),
    application: {},
    approvals: new DiscordApprovals(client, log, (id) => council.agents.find(id)?.name ?? id),
  };
  // Tool calls that need a person's word are asked here, in the channel where the question was.
  council.tools.useApprovals(ctx.approvals);
  let problem: string | undefined;

  registerBotMetrics();
  exportAtZero(metrics.backgroundFailures, { task: botTasks });
  exportAtZero(metrics.discordCommands, { command: countedCommands(), outcome: commandOutcomes });
  exportAtZero(metrics.discordGuildLeaves, { outcome: leaveOutcomes });
  exportRefusals();
  metrics.discordConnected.set(0);
  client.on(Events.InteractionCreate, (interaction) => void ownTask(log, 'discord-interaction', () => onInteractionCreate(interaction, ctx)));
  client.on(Events.MessageCreate, (message) => void ownTask(log, 'discord-message', () => onMessageCreate(message, ctx)));
  // Deletions and archived threads are read raw: discord.js reports a deleted message only if it is in its cache.
  client.on(Events.Raw, (dispatch: Dispatch & { d?: { guild_id?: string } }) => {
    if (!ctx.guilds.allows(dispatch.d?.guild_id)) return;
    const deleted = ctx.removals.onDispatch(dispatch);
    // An answer deleted after it was written (any of its parts) leaves the history as well; a bulk deletion is one lookup.
    if (deleted.length > 0) void ownTask(log, 'discord-message-deleted', () => council.conversations.replyDeleted({ externalIds: deleted }));
  });
  // Someone added the bot to a server: one Council does not serve is left at once.
  client.on(Events.GuildCreate, (guild) => ctx.guilds.joined(guild.id));
  // The gauge follows every shard: 1 only while all of them are ready, 0 while any reconnects or resumes.
  const shardReady = new Map<number, boolean>();
  const shardState = (id: number, ready: boolean) => {
    shardReady.set(id, ready);
    metrics.discordConnected.set([...shardReady.values()].every(Boolean) ? 1 : 0);
  };
  client.on(Events.ShardReady, (id) => shardState(id, true));
  client.on(Events.ShardResume, (id) => shardState(id, true));
  client.on(Events.ShardDisconnect, (_event, id) => shardState(id, false));
  client.on(Events.ShardReconnecting, (id) => shardState(id, false));
  client.on(Events.Invalidated, () => metrics.discordConnected.set(0));
  client.on(Events.Error, (error) => log.error({ err: error.message }, 'discord client error'));
  // "No webhook here" is re-asked as soon as permissions change, not only after its TTL.
  client.on(Events.ChannelUpdate, () => ctx.personas.recheck());
  client.on(Events.GuildRoleUpdate, () => ctx.personas.recheck());
  client.on(Events.GuildMemberUpdate, (_before, member) => member.id === client.user?.id && ctx.personas.recheck());

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.DISCORD_TOKEN);
    await ready;
  } catch (error) {
    await client.destroy().catch(() => {});
    const message = (error as Error).message ?? '';
    if (/invalid token|401|4004|Authentication failed/i.test(message) || (error as { code?: string }).code === 'TokenInvalid') {
      throw new CouncilError('unauthorized', 'Discord rejected DISCORD_TOKEN (401); reset the bot token in the Developer Portal and update the secret');
    }
    if (/disallowed intent|4014/i.test(message)) {
      throw new CouncilError('bad_config', 'Discord refused the Message Content intent (4014); enable "Message Content Intent" under Bot → Privileged Gateway Intents in the Developer Portal');
    }
    throw new CouncilError('internal', `cannot connect to Discord: ${message.split('\n', 1)[0]}`);
  }
  const appId = config.DISCORD_APP_ID ?? client.application?.id ?? client.user!.id;
  const count = await deployCommands(client.rest, appId, config.DISCORD_GUILD_ID).catch((error: unknown) => {
    problem = `could not register slash commands: ${toUserMessage(error)}`;
    log.error(problem);
    return 0;
  });
  log.info({ user: client.user?.tag, commands: count, scope: config.DISCORD_GUILD_ID ? 'guild' : 'global' }, 'discord bot ready');
  log.info({ guilds: ctx.guilds.list ?? 'all' }, ctx.guilds.describe());
  ctx.guilds.sweep();
  ctx.application.botPublic = await fetchBotPublic(client).catch((error: unknown) => {
    log.warn({ err: toUserMessage(error) }, 'could not read the application (GET /applications/@me) to check Public Bot');
    return undefined;
  });
  if (ctx.application.botPublic) log.warn({ botPublic: true }, publicBotWarning(ctx.guilds.list !== null));
  logPermissions(client, log, appId);
  // The same supervisor as the control plane's, handed only the meetings held in threads.
  const supervisor = superviseMeetings({ council, log, starter: threadMeetingStarter(ctx), task: 'bot-meeting-supervisor' });

  return {
    status: () => ({ configured: true, connected: client.isReady() && shardReady.size > 0 && [...shardReady.values()].every(Boolean), ...(problem ? { problem } : {}) }),
    async stop(options = {}) {
      supervisor.stop();
      // Meetings finish the turn in flight and stop resumable, not cancelled: the next start
      // picks them up in their threads. A turn still running after the grace period is cut.
      await council.meetings.runner.stop(options.graceMs ?? 20_000, (id) => ctx.threadMeetings.has(id));
      council.tools.useApprovals(null);
      metrics.discordConnected.set(0);
      await client.destroy();
    },
  };
}
