import { AgentRegistry } from './agents/agentRegistry.js';
import { syncAgents } from './agents/syncAgents.js';
import { exportData } from './backup/exportData.js';
import { importData, parseNdjson, type ImportResult } from './backup/importData.js';
import { loadConfig, type Config } from './config/index.js';
import { openDatabase } from './db/openDatabase.js';
import { CouncilError } from './errors.js';
import { checkWithin, type Check } from './tasks/checkWithin.js';
import type { CallStats, CouncilEvent } from './events.js';
import { LlmClient } from './llm/llmClient.js';
import { createLogger, type Logger } from './log.js';
import { ConversationStore } from './memory/conversationStore.js';
import { forgetUser, type ForgetResult } from './memory/forgetUser.js';
import { cliCaller, ownerIdOf, type Caller } from './memory/scope.js';
import { MemoryStore } from './memory/memoryStore.js';
import { exportAtZero, metrics, onScrape } from './metrics.js';
import { chatOutcomes, chatStream, type ChatOptions } from './orchestrator/chatStream.js';
import { consultStream, type ConsultOptions } from './orchestrator/consultStream.js';
import type { CouncilContext } from './orchestrator/context.js';
import { defaultRolesDir } from './paths.js';
import { loadRoles } from './roles/loadRoles.js';
import { getMeetingType, meetingTypes } from './meetings/catalogue.js';
import { MeetingStore } from './meetings/meetingStore.js';
import { ActionItemStore, type ActionItemFilter, type ActionItemView } from './meetings/actionItemStore.js';
import { MeetingControls } from './meetings/meetingControls.js';
import { TopicStore } from './meetings/topicStore.js';
import type { MeetingType } from './meetings/meetingTypeSchema.js';
import { LocalMeetingSignals } from './meetings/meetingSignals.js';
import { PostgresMeetingSignals } from './meetings/meetingSignalsPostgres.js';
import { maxResumeAttempts, resumeDelayMs } from './meetings/resumeBackoff.js';
import { BackgroundMeetings } from './meetings/supervisor/backgroundMeetings.js';
import { toMeetingSummary, toMeetingView, type MeetingSummary, type MeetingView } from './meetings/meetingView.js';
import type { Minutes } from './meetings/minutesSchema.js';
import { runMeeting, type RunOptions } from './meetings/runMeeting.js';
import { runnerId } from './runnerId.js';
import type { MeetingStatus } from './db/schema.js';

export interface OpenOptions {
  config?: Config;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export interface AgentReply {
  agent: string;
  reply: string;
  messageId: string | null;
  stats: CallStats | null;
}

export interface ConsultReply extends AgentReply {
  error: { code: string; message: string } | null;
}

/**
 * The core as a library: every face (bot, control plane, CLI) and any script
 * drive Council through this object. Streaming methods yield CouncilEvents;
 * the plain ones collect them.
 */
export interface NewMeeting {
  type: string;
  title: string;
  description?: string | null;
  topics?: string[];
  participants?: string[];
  requestedBy?: string | null;
  discordChannelId?: string | null;
  discordThreadId?: string | null;
  /** Who created it (`discord:<user>`, `key:<id>`, `cli:<name>`) and its Discord server: its decisions are remembered there. */
  ownerId?: string | null;
  guildId?: string | null;
  /** Runs at once (REST, Discord): a supervisor starts it if the accepting process dies before claiming it. */
  autostart?: boolean;
}

export class Council {
  private closed = false;
  private readonly meetings: MeetingStore;
  /** Meetings this process runs with nobody watching: started over /v1 or taken over from a dead runner. */
  readonly background: BackgroundMeetings;

  private constructor(
    private readonly stopScrape: () => void,
    readonly ctx: CouncilContext,
  ) {
    this.meetings = new MeetingStore(ctx.database.db, ctx.database.kind === 'pglite' ? runnerId : undefined);
    this.background = new BackgroundMeetings(this, ctx.log);
  }

  static async open(options: OpenOptions = {}): Promise<Council> {
    const config = options.config ?? loadConfig(options.env);
    const log = options.log ?? createLogger(config.LOG_LEVEL);
    const roles = await loadRoles(config.ROLES_DIR ?? defaultRolesDir);
    exportAtZero(metrics.chats, { agent: roles.map((role) => role.id), outcome: chatOutcomes });
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
    try {
      await syncAgents(database.db, roles);
    } catch (error) {
      await database.close();
      throw new CouncilError('database_error', `cannot sync agents into the database: ${(error as Error).message}`, { cause: error });
    }
    const memories = new MemoryStore(database.db, database.vector);
    await memories.analyze();
    const stopScrape = onScrape(async () => {
      metrics.memoriesStored.set(await memories.count());
    });
    return new Council(stopScrape, {
      config,
      log,
      database,
      llm: new LlmClient(config),
      agents: new AgentRegistry(roles, config.TEMPERATURE),
      conversations: new ConversationStore(database.db),
      memories,
      // Across processes through Postgres; PGlite is one process, so in-process delivery is the whole story.
      signals: database.kind === 'postgres' && config.DATABASE_URL ? await PostgresMeetingSignals.open(config.DATABASE_URL, log) : new LocalMeetingSignals(),
    });
  }

  get config(): Config {
    return this.ctx.config;
  }

  get agents(): AgentRegistry {
    return this.ctx.agents;
  }

  listAgents() {
    return this.ctx.agents.summaries();
  }

  chatStream(options: ChatOptions): AsyncGenerator<CouncilEvent> {
    return chatStream(this.ctx, options);
  }

  /** One agent's whole reply. */
  /** Without a caller the library speaks as the local OS user, like the CLI. */
  async chatWithAgent(agent: string, message: string, options: Omit<ChatOptions, 'agent' | 'message' | 'caller'> & { caller?: Caller } = {}): Promise<AgentReply> {
    for await (const event of this.chatStream({ ...options, caller: options.caller ?? cliCaller(), agent, message })) {
      if (event.type === 'turn_done') return { agent: event.agent, reply: event.content, messageId: event.messageId, stats: event.stats };
    }
    throw new CouncilError('internal', 'the chat ended without a reply');
  }

  consultStream(options: ConsultOptions): AsyncGenerator<CouncilEvent> {
    return consultStream(this.ctx, options);
  }

  /** Every agent's reply, in the order asked; a failed agent carries its error. */
  async consult(message: string, agents: string[], options: Omit<ConsultOptions, 'agents' | 'message' | 'caller'> & { caller?: Caller } = {}): Promise<ConsultReply[]> {
    const replies = new Map<string, ConsultReply>();
    for await (const event of this.consultStream({ ...options, caller: options.caller ?? cliCaller(), message, agents })) {
      if (event.type === 'turn_done') {
        replies.set(event.agent, { agent: event.agent, reply: event.content, messageId: event.messageId, stats: event.stats, error: null });
      } else if (event.type === 'error' && event.agent) {
        replies.set(event.agent, { agent: event.agent, reply: '', messageId: null, stats: null, error: { code: event.code, message: event.message } });
      }
    }
    return agents.map((agent) => this.ctx.agents.get(agent).id).filter((id, i, all) => all.indexOf(id) === i).map((id) => replies.get(id) as ConsultReply);
  }

  listMemories(options: { agentId?: string; query?: string; limit?: number } = {}) {
    if (options.agentId) options = { ...options, agentId: this.ctx.agents.get(options.agentId).id };
    return this.ctx.memories.list(options);
  }

  /** The seed's clear_all_memories: every conversation and memory of every agent. */
  async clearAllMemories(): Promise<{ conversations: number; memories: number }> {
    return { conversations: await this.ctx.conversations.clear(), memories: await this.ctx.memories.clear() };
  }

  async clearAgentMemories(agent: string): Promise<{ conversations: number; memories: number }> {
    const id = this.ctx.agents.get(agent).id;
    return { conversations: await this.ctx.conversations.clear(id), memories: await this.ctx.memories.clear(id) };
  }

  /** Clears one Discord server's conversations and memories, and nothing of any other. */
  async clearGuildMemories(guildId: string): Promise<{ conversations: number; memories: number }> {
    return { conversations: await this.ctx.conversations.clearGuild(guildId), memories: await this.ctx.memories.clearGuild(guildId) };
  }

  /** Everything keyed to a person: an owner id (`discord:<user>`, `key:<id>`, `cli:<name>`) or a bare Discord user id. */
  forgetUser(userId: string): Promise<ForgetResult> {
    return forgetUser(this.ctx.database.db, ownerIdOf(userId));
  }

  exportData() {
    return exportData(this.ctx.database.db);
  }

  async importNdjson(text: string): Promise<ImportResult> {
    const result = await importData(this.ctx.database.db, parseNdjson(text), {
      agents: new Set(this.ctx.agents.ids),
      maxMemoryChars: this.ctx.config.MAX_MESSAGE_CHARS + 500,
      maxTextChars: 200_000,
    });
    await this.ctx.memories.ensureVectorIndexes();
    await this.ctx.memories.analyze();
    return result;
  }

  meetingTypes(): readonly MeetingType[] {
    return meetingTypes;
  }

  /** Validates and stores a pending meeting; the facilitator always attends. */
  async createMeeting(input: NewMeeting): Promise<MeetingView> {
    const type = getMeetingType(input.type);
    const title = input.title.trim();
    if (!title) throw new CouncilError('bad_usage', 'the meeting needs a title (--title "...")');
    const chosen = (input.participants?.length ? input.participants : type.participants).map((id) => this.ctx.agents.get(id).id);
    const participants = [...new Set(chosen)].filter((id) => id !== type.facilitator);
    if (participants.length === 0) throw new CouncilError('bad_usage', `a ${type.name} needs at least one participant besides the facilitator ${type.facilitator}`);
    const agenda = (input.topics ?? []).map((topic) => topic.trim()).filter(Boolean);
    const row = await this.meetings.create({
      type: type.id,
      title,
      description: input.description ?? null,
      facilitator: type.facilitator,
      participants,
      agenda,
      requestedBy: input.requestedBy ?? null,
      ownerId: input.ownerId ?? null,
      guildId: input.guildId ?? null,
      autostart: input.autostart ?? false,
      discordChannelId: input.discordChannelId ?? null,
      discordThreadId: input.discordThreadId ?? null,
    });
    return toMeetingView(row, []);
  }

  /** Runs a pending meeting or resumes an interrupted one, as a stream of events. */
  runMeeting(meetingId: string, options: RunOptions = {}): AsyncGenerator<CouncilEvent> {
    return runMeeting(this.ctx, this.meetings, meetingId, options);
  }

  /** The library form: set the agenda if given, run to the end, return the minutes. */
  async conductMeeting(meeting: MeetingView | string, topics?: string[], options: { signal?: AbortSignal } = {}): Promise<Minutes> {
    const id = typeof meeting === 'string' ? meeting : meeting.id;
    if (topics?.length) {
      const row = await this.meetings.find(id);
      if (row?.status === 'pending') await this.meetings.update(id, { agenda: topics.map((t) => t.trim()).filter(Boolean) });
    }
    let ended: Extract<CouncilEvent, { type: 'meeting_ended' }> | undefined;
    let minutes: Minutes | undefined;
    for await (const event of this.runMeeting(id, options)) {
      if (event.type === 'minutes') minutes = event.minutes as Minutes;
      if (event.type === 'meeting_ended') ended = event;
    }
    if (!minutes || ended?.status !== 'completed') {
      throw new CouncilError(ended?.status === 'cancelled' ? 'cancelled' : 'ollama_error', `meeting ${id} ${ended?.status ?? 'stopped'}: ${ended?.error ?? 'no minutes'}`);
    }
    return minutes;
  }

  /** With `ownerId`, only a meeting that owner created: another's answers as unknown, so its existence does not leak. */
  async getMeeting(id: string, options: { ownerId?: string } = {}): Promise<MeetingView> {
    const row = await this.meetings.find(id);
    if (!row || (options.ownerId !== undefined && row.ownerId !== options.ownerId)) throw new CouncilError('unknown_meeting', `unknown meeting "${id}"; council meeting list shows them`);
    return toMeetingView(row, await this.meetings.turns(id), await new TopicStore(this.ctx.database.db).list(id));
  }

  async listMeetings(options: { status?: MeetingStatus; limit?: number } = {}): Promise<MeetingSummary[]> {
    return (await this.meetings.list(options)).map(toMeetingSummary);
  }

  async setMeetingThread(id: string, thread: { channelId: string; threadId: string }): Promise<void> {
    await this.meetings.update(id, { discordChannelId: thread.channelId, discordThreadId: thread.threadId });
  }

  /** Tags a stored turn (the turn_done event's messageId) with the platform's message id. */
  setTurnExternalId(turnId: string, externalId: string): Promise<void> {
    return this.meetings.setTurnExternalId(turnId, externalId);
  }

  /** The meeting held in a Discord thread, if any. */
  async meetingInThread(threadId: string): Promise<MeetingSummary | undefined> {
    const row = await this.meetings.findByThread(threadId);
    return row ? toMeetingSummary(row) : undefined;
  }

  /**
   * Reserves the meetings this process should take over now (see
   * MeetingStore.reserveResume): a dead runner's, or interrupted ones whose
   * backoff (core/meetings/resumeBackoff.ts) is due. Each is reserved by one
   * process only; the caller starts it, and runMeeting's claim decides the rest.
   */
  async reserveMeetingTakeovers(accepts: (meeting: MeetingSummary) => boolean): Promise<Array<MeetingSummary & { runnerId: string | null }>> {
    const reserved: Array<MeetingSummary & { runnerId: string | null }> = [];
    for (const row of await this.meetings.resumeCandidates(maxResumeAttempts)) {
      if (!accepts(toMeetingSummary(row)) || this.background.has(row.id)) continue;
      const won = await this.meetings.reserveResume(row.id, (attempt) => resumeDelayMs(attempt), maxResumeAttempts);
      if (won) reserved.push({ ...toMeetingSummary(won), runnerId: row.runnerId });
    }
    return reserved;
  }

  /** The meeting's status and its stored turns after `afterSeq`: what a follower (SSE, another process) has not seen yet. */
  async followMeeting(id: string, afterSeq: number, options: { ownerId?: string } = {}): Promise<{ status: MeetingStatus; error: string | null; minutes: unknown; turns: MeetingView['turns'] }> {
    const row = await this.meetings.find(id);
    if (!row || (options.ownerId !== undefined && row.ownerId !== options.ownerId)) throw new CouncilError('unknown_meeting', `unknown meeting "${id}"; council meeting list shows them`);
    const view = toMeetingView(row, await this.meetings.turnsAfter(id, afterSeq), []);
    return { status: row.status, error: row.error, minutes: row.minutes, turns: view.turns };
  }


  private meetingControls?: MeetingControls;
  private get controls(): MeetingControls {
    this.meetingControls ??= new MeetingControls(this.ctx.database.db, this.meetings, this.ctx.signals, this.ctx.config.MAX_MESSAGE_CHARS, this.ctx.log);
    return this.meetingControls;
  }

  /**
   * A person speaks in a meeting: stored in its inbox and signalled, so the
   * runner (on whichever process) makes it a `human` turn before its next turn.
   */
  postToMeeting(meetingId: string, message: { speakerId: string; speakerName: string; text: string; externalId?: string | null }): Promise<{ id: string; status: MeetingStatus }> {
    return this.controls.post(meetingId, message);
  }

  /** Stops before the next turn; the turn in flight finishes and is stored. */
  async pauseMeeting(meetingId: string): Promise<MeetingSummary> {
    return toMeetingSummary(await this.controls.pause(meetingId));
  }

  /** `needsRunner`: no process holds the meeting, so the caller must run it (runMeeting or background.start). */
  async resumeMeeting(meetingId: string): Promise<{ meeting: MeetingSummary; needsRunner: boolean }> {
    const { meeting, needsRunner } = await this.controls.resume(meetingId);
    return { meeting: toMeetingSummary(meeting), needsRunner };
  }

  /** Works on running, paused and interrupted meetings; the turns so far are kept. */
  async cancelMeeting(meetingId: string): Promise<MeetingSummary> {
    return toMeetingSummary(await this.controls.cancel(meetingId));
  }

  /** Action items that outlive their meetings: open by default; filter by owner, server or who may see them. */
  listActionItems(filter: ActionItemFilter = {}): Promise<ActionItemView[]> {
    return new ActionItemStore(this.ctx.database.db).list(filter);
  }

  /** Marks an item done by its id or an 8+ character prefix, among the items `filter` lets the caller see. */
  async markActionItemDone(ref: string, by: string, filter: Omit<ActionItemFilter, 'status'> = {}): Promise<ActionItemView> {
    const store = new ActionItemStore(this.ctx.database.db);
    const found = await store.findByRef(ref, filter);
    if (found.length === 0) throw new CouncilError('unknown_action_item', `no action item "${ref}"; list them with actions list`);
    if (found.length > 1) throw new CouncilError('bad_usage', `"${ref}" matches ${found.length} action items; give more of the id`);
    const item = found[0]!;
    if (item.status === 'done' || !(await store.markDone(item.id, by))) throw new CouncilError('meeting_state', `action item ${item.id.slice(0, 8)} is already done`);
    return { ...item, status: 'done', doneBy: by, doneAt: new Date() };
  }

  /** Readiness checks the faces report: the database and each Ollama backend with the model. */
  async checks(): Promise<Check[]> {
    // Each check has its own 2 s limit and they run side by side: one slow dependency cannot stall the probe.
    const [database, writes, backends] = await Promise.all([
      checkWithin('database', 2_000, () => this.ctx.database.ping()),
      checkWithin('database writes', 2_000, () => this.ctx.database.writable()),
      this.ctx.llm.probe(),
    ]);
    metrics.databaseWritable.set(writes.ok ? 1 : 0);
    return [database, writes, ...backends.map((probe) => ({ name: `ollama ${probe.backend}`, ok: probe.ok, ...(probe.problem ? { problem: probe.problem } : {}) }))];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopScrape();
    // Background meetings stop resumable before the database goes (main.ts gives them the grace period first).
    await this.background.stop(0);
    await this.ctx.signals.close();
    await this.ctx.database.close();
  }
}
