import { toolCallRecord, type ToolCallRecord } from './tools/toolCallRecord.js';
import { AgentRegistry } from './agents/agentRegistry.js';
import { syncAgents } from './agents/syncAgents.js';
import { ApiKeyStore } from './auth/apiKeys.js';
import { AuditLog } from './auth/auditLog.js';
import { KeysService } from './auth/keysService.js';
import { exportData } from './backup/exportData.js';
import { importData, parseNdjson, type ImportResult } from './backup/importData.js';
import { loadConfig, type Config } from './config/index.js';
import { openDatabase } from './db/openDatabase.js';
import { CouncilError } from './errors.js';
import { checkWithin, type Check } from './tasks/checkWithin.js';
import type { CallStats, CouncilEvent } from './events.js';
import { LlmClient } from './llm/llmClient.js';
import { ModelsService } from './llm/modelsService.js';
import { checkModelsInUse } from './llm/checkModelsInUse.js';
import { modelsInUse, type ModelUse } from './llm/modelsInUse.js';
import { createLogger, type Logger } from './log.js';
import { ConversationStore } from './memory/conversationStore.js';
import { ConversationsService } from './memory/conversationsService.js';
import { MemoryService } from './memory/memoryService.js';
import { cliCaller, type Caller } from './memory/scope.js';
import { MemoryStore } from './memory/memoryStore.js';
import { exportAtZero, metrics, onScrape } from './metrics.js';
import { chatOutcomes, chatStream, type ChatOptions } from './orchestrator/chatStream.js';
import { consultStream, type ConsultOptions } from './orchestrator/consultStream.js';
import type { CouncilContext } from './orchestrator/context.js';
import { listenTo } from './orchestrator/listenTo.js';
import { settleExtractions } from './orchestrator/rememberExchange.js';
import { defaultRolesDir } from './paths.js';
import { loadRoles } from './roles/loadRoles.js';
import { MeetingStore } from './meetings/store/meetingStore.js';
import { MeetingsService, type NewMeeting } from './meetings/meetingsService.js';
import type { MeetingType } from './meetings/meetingTypeSchema.js';
import { LocalMeetingSignals } from './meetings/coordination/meetingSignals.js';
import { PostgresMeetingSignals } from './meetings/coordination/meetingSignalsPostgres.js';
import { MeetingRunner } from './meetings/coordination/meetingRunner.js';
import { SettingsService } from './settings/settingsService.js';
import { LocalSettingsSignals, PostgresSettingsSignals, type SettingsSignals } from './settings/settingsSignals.js';
import { SettingsStore } from './settings/settingsStore.js';
import type { MeetingView } from './meetings/meetingView.js';
import type { Minutes } from './meetings/engine/minutesSchema.js';
import { runMeeting, type RunOptions } from './meetings/coordination/runMeeting.js';
import { registerContext } from './contextOf.js';
import { BuiltinTools } from './tools/builtinTools.js';
import { loadMcpConfig, type McpConfig } from './tools/mcpConfig.js';
import { McpTools } from './tools/mcpTools.js';
import { ToolsService } from './tools/toolsService.js';
import { ApprovalQueueStore } from './tools/approvalQueueStore.js';
import { ApprovalRelay } from './tools/approvalRelay.js';
import { ApprovalSignals } from './tools/approvalSignals.js';
import { QueuedApprovals } from './tools/queuedApprovals.js';
import { runnerId } from './runnerId.js';

export type { NewMeeting } from './meetings/meetingsService.js';

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
  /** The tools this answer called, as stored on its message (the output itself is not kept). */
  toolCalls: ToolCallRecord[];
}

export interface ConsultReply extends AgentReply {
  error: { code: string; message: string } | null;
}

/**
 * The composition root: it opens the database and the model client, and
 * exposes what the faces (bot, control plane, CLI) and scripts may do as
 * intent-named services, each of which takes the caller and decides access
 * itself. The stores and the database handle stay inside core/
 * (core/contextOf.ts). The library's own verbs (chatWithAgent, consult,
 * createMeeting, conductMeeting, clearAllMemories) act as the local operator.
 */
export class Council {
  private closed = false;
  readonly meetings: MeetingsService;
  readonly memory: MemoryService;
  readonly conversations: ConversationsService;
  readonly keys: KeysService;
  readonly audit: AuditLog;
  readonly models: ModelsService;
  readonly settings: SettingsService;
  private readonly settingsStore: SettingsStore;
  readonly tools: ToolsService;

  private constructor(
    private readonly stopScrape: () => void,
    private readonly ctx: CouncilContext,
    private readonly settingsSignals: SettingsSignals,
    mcpConfig: McpConfig | null,
    private readonly approvalSignals: ApprovalSignals | null,
  ) {
    registerContext(this, ctx);
    const store = new MeetingStore(ctx.database.db, ctx.database.kind === 'pglite' ? runnerId : undefined);
    const runner = new MeetingRunner((id, options) => runMeeting(ctx, store, id, options), ctx.log);
    this.audit = new AuditLog(ctx.database.db, ctx.log);
    this.memory = new MemoryService(ctx.database.db, ctx.agents, ctx.memories, ctx.conversations, this.audit, (input) => listenTo(ctx, input));
    this.conversations = new ConversationsService(ctx.conversations);
    const keys = new ApiKeyStore(ctx.database.db);
    this.keys = new KeysService(keys, this.audit);
    this.models = new ModelsService(ctx.llm, ctx.log);
    this.settingsStore = new SettingsStore(ctx.database.db);
    this.settings = new SettingsService(this.settingsStore, settingsSignals, ctx.config, ctx.agents, ctx.llm.backends, this.audit);
    this.meetings = new MeetingsService(ctx, store, runner, async (caller) => (await this.settings.at(caller)).modelFor);
    const { config } = ctx;
    this.tools = new ToolsService({
      mcp: mcpConfig ? new McpTools(mcpConfig, ctx.log, { timeoutMs: config.TOOL_MAX_MS, maxOutputChars: config.TOOL_MAX_OUTPUT_CHARS }) : null,
      builtins: new BuiltinTools(ctx.database.db, ctx.memories),
      settings: this.settings,
      keys,
      audit: this.audit,
      log: ctx.log,
      bounds: { maxSteps: config.TOOL_MAX_STEPS, maxMs: config.TOOL_MAX_MS, maxOutputChars: config.TOOL_MAX_OUTPUT_CHARS, maxTotalOutputChars: config.TOOL_MAX_TOTAL_OUTPUT_CHARS },
      queue: approvalSignals ? approvalQueue(new ApprovalQueueStore(ctx.database.db), approvalSignals, ctx.log) : null,
    });
    // Allowing a tool in a place pins its definition as offered now.
    this.settings.pinToolsWith((names) => this.tools.pin(names));
    ctx.tools = this.tools;
  }

  static async open(options: OpenOptions = {}): Promise<Council> {
    const config = options.config ?? loadConfig(options.env);
    const log = options.log ?? createLogger(config.LOG_LEVEL);
    const roles = await loadRoles(config.ROLES_DIR ?? defaultRolesDir);
    const mcpConfig = config.MCP_CONFIG ? await loadMcpConfig(config.MCP_CONFIG) : null;
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
    const postgres = database.kind === 'postgres' && config.DATABASE_URL ? config.DATABASE_URL : undefined;
    return new Council(stopScrape, {
      config,
      log,
      database,
      llm: new LlmClient(config),
      agents: new AgentRegistry(roles, config.TEMPERATURE),
      conversations: new ConversationStore(database.db),
      memories,
      // Across processes through Postgres; PGlite is one process, so in-process delivery is the whole story.
      signals: postgres ? await PostgresMeetingSignals.open(postgres, log) : new LocalMeetingSignals(),
    }, postgres ? await PostgresSettingsSignals.open(postgres, log) : new LocalSettingsSignals(), mcpConfig, postgres ? await ApprovalSignals.open(postgres, log) : null);
  }

  get config(): Config {
    return this.ctx.config;
  }

  get agents(): AgentRegistry {
    return this.ctx.agents;
  }

  /** `pglite`: this process alone holds the embedded database, and local commands reach it through this process. */
  get databaseKind(): 'pglite' | 'postgres' {
    return this.ctx.database.kind;
  }

  listAgents() {
    return this.ctx.agents.summaries();
  }

  chatStream(options: ChatOptions): AsyncGenerator<CouncilEvent> {
    return chatStream(this.ctx, options);
  }

  /** One agent's whole reply. Without a caller the library speaks as the local OS user, like the CLI. */
  async chatWithAgent(agent: string, message: string, options: Omit<ChatOptions, 'agent' | 'message' | 'caller'> & { caller?: Caller } = {}): Promise<AgentReply> {
    const toolCalls: ToolCallRecord[] = [];
    for await (const event of this.chatStream({ ...options, caller: options.caller ?? cliCaller(), agent, message })) {
      if (event.type === 'tool_call') toolCalls.push(toolCallRecord(event));
      if (event.type === 'turn_done') return { agent: event.agent, reply: event.content, messageId: event.messageId, stats: event.stats, toolCalls };
    }
    throw new CouncilError('internal', 'the chat ended without a reply');
  }

  consultStream(options: ConsultOptions): AsyncGenerator<CouncilEvent> {
    return consultStream(this.ctx, options);
  }

  /** Every agent's reply, in the order asked; a failed agent carries its error. */
  async consult(message: string, agents: string[], options: Omit<ConsultOptions, 'agents' | 'message' | 'caller'> & { caller?: Caller } = {}): Promise<ConsultReply[]> {
    const replies = new Map<string, ConsultReply>();
    const toolCalls = new Map<string, ToolCallRecord[]>();
    const callsOf = (agent: string) => toolCalls.get(agent) ?? [];
    for await (const event of this.consultStream({ ...options, caller: options.caller ?? cliCaller(), message, agents })) {
      if (event.type === 'tool_call') {
        toolCalls.set(event.agent, [...callsOf(event.agent), toolCallRecord(event)]);
      } else if (event.type === 'turn_done') {
        replies.set(event.agent, { agent: event.agent, reply: event.content, messageId: event.messageId, stats: event.stats, toolCalls: callsOf(event.agent), error: null });
      } else if (event.type === 'error' && event.agent) {
        replies.set(event.agent, { agent: event.agent, reply: '', messageId: null, stats: null, toolCalls: callsOf(event.agent), error: { code: event.code, message: event.message } });
      }
    }
    return agents.map((agent) => this.ctx.agents.get(agent).id).filter((id, i, all) => all.indexOf(id) === i).map((id) => replies.get(id) as ConsultReply);
  }

  /** The seed's clear_all_memories: every conversation and memory of every agent. */
  clearAllMemories(): Promise<{ conversations: number; memories: number }> {
    return this.memory.clear('all', cliCaller());
  }

  exportData() {
    return exportData(this.ctx.database.db);
  }

  async importNdjson(text: string, by: Caller = cliCaller()): Promise<ImportResult> {
    const result = await importData(this.ctx.database.db, parseNdjson(text), {
      agents: new Set(this.ctx.agents.ids),
      maxMemoryChars: this.ctx.config.MAX_MESSAGE_CHARS + 500,
      maxTextChars: 200_000,
    }, (places) => this.settings.restored(places));
    await this.ctx.memories.ensureVectorIndexes();
    await this.ctx.memories.analyze();
    const rows = Object.values(result).reduce((sum: number, n) => sum + (typeof n === 'number' ? n : 0), 0);
    await this.audit.record({ actor: by.ownerId, action: 'data.import', rows, detail: { ...result } });
    return result;
  }

  meetingTypes(): readonly MeetingType[] {
    return this.meetings.types();
  }

  /** Validates and stores a pending meeting; the facilitator always attends. */
  createMeeting(input: NewMeeting): Promise<MeetingView> {
    return this.meetings.create(input);
  }

  /** Runs a pending meeting or resumes an interrupted one, as a stream of events. */
  runMeeting(meetingId: string, options: RunOptions = {}): AsyncGenerator<CouncilEvent> {
    return this.meetings.run(meetingId, options);
  }

  /** A meeting with its turns and minutes, as the local operator sees it. */
  getMeeting(id: string): Promise<MeetingView> {
    return this.meetings.get(id);
  }

  /** The library form: set the agenda if given, run to the end, return the minutes. */
  async conductMeeting(meeting: MeetingView | string, topics?: string[], options: { signal?: AbortSignal } = {}): Promise<Minutes> {
    const id = typeof meeting === 'string' ? meeting : meeting.id;
    if (topics?.length) await this.meetings.setAgenda(id, topics);
    let ended: Extract<CouncilEvent, { type: 'meeting_ended' }> | undefined;
    let minutes: Minutes | undefined;
    for await (const event of this.runMeeting(id, options)) {
      if (event.type === 'minutes') minutes = event.minutes;
      if (event.type === 'meeting_ended') ended = event;
    }
    if (!minutes || ended?.status !== 'completed') {
      throw new CouncilError(ended?.status === 'cancelled' ? 'cancelled' : 'ollama_error', `meeting ${id} ${ended?.status ?? 'stopped'}: ${ended?.error ?? 'no minutes'}`);
    }
    return minutes;
  }

  /** Readiness checks the faces report: the database, each Ollama backend with the model, and each tool server (degraded at worst). */
  async checks(): Promise<Check[]> {
    // Each check has its own 2 s limit and they run side by side: one slow dependency cannot stall the probe.
    const [database, writes, backends, models, tools] = await Promise.all([
      checkWithin('database', 2_000, () => this.ctx.database.ping()),
      checkWithin('database writes', 2_000, () => this.ctx.database.writable()),
      this.ctx.llm.probe(),
      this.checkModels(),
      this.tools.checks(2_000),
    ]);
    metrics.databaseWritable.set(writes.ok ? 1 : 0);
    return [database, writes, ...backends.map((probe) => ({ name: `ollama ${probe.backend}`, ok: probe.ok, ...(probe.problem ? { problem: probe.problem } : {}) })), models, ...tools];
  }

  /** Whether every backend has every model in use (the readiness check `models`), listing them all. */
  async checkModels(): Promise<Check & { models: string[] }> {
    return checkModelsInUse(this.ctx.llm.backends, await this.modelsInUse());
  }

  /** Every model Council may call: MODEL_NAME, EMBED_MODEL, FACILITATOR_MODEL, the roles' and the places' (a database that does not answer in 2 s leaves the places out; its own check says so). */
  async modelsInUse(): Promise<ModelUse[]> {
    const places = await Promise.race([this.settingsStore.withModels(), new Promise<[]>((resolve) => setTimeout(() => resolve([]), 2_000).unref())]).catch(() => []);
    const { config } = this.ctx;
    return modelsInUse({ defaultModel: config.MODEL_NAME, embedModel: config.EMBED_MODEL, facilitatorModel: config.FACILITATOR_MODEL, roles: this.ctx.agents.roles, places });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopScrape();
    // Meetings stop resumable before the database goes (main.ts gives them the grace period first).
    await this.meetings.runner.stop(0);
    await settleExtractions(this.ctx);
    this.settings.close();
    await this.tools.close();
    await this.approvalSignals?.close();
    await this.settingsSignals.close();
    await this.ctx.signals.close();
    await this.ctx.database.close();
  }
}

/** Approvals across processes on Postgres (PGlite is one process: its bot, if any, asks everything itself). */
function approvalQueue(store: ApprovalQueueStore, signals: ApprovalSignals, log: Logger): { asker: QueuedApprovals; relay: ApprovalRelay } {
  return { asker: new QueuedApprovals(store, signals, log), relay: new ApprovalRelay(store, signals, log, runnerId) };
}
