import { CouncilError } from '../errors.js';
import type { CouncilEvent } from '../events.js';
import { cliCaller, type Caller } from '../memory/scope.js';
import type { CouncilContext } from '../orchestrator/context.js';
import { awaitHolder, type AwaitHolderOptions, type HolderOutcome } from './coordination/awaitHolder.js';
import { ActionItemStore, type ActionItemFilter, type ActionItemView } from './store/actionItemStore.js';
import { getMeetingType, meetingTypes } from './catalogue.js';
import { followMeeting } from './coordination/followMeeting.js';
import { mayControlMeeting, mayReadMeeting, visibleActionItems, visibleMeetings } from './meetingAccess.js';
import { MeetingControls } from './coordination/meetingControls.js';
import type { MeetingRow, MeetingStore } from './store/meetingStore.js';
import type { MeetingType } from './meetingTypeSchema.js';
import { toMeetingSummary, toMeetingView, type MeetingSummary, type MeetingView } from './meetingView.js';
import { maxResumeAttempts, resumeDelayMs } from './coordination/resumeBackoff.js';
import { runMeeting, type RunOptions } from './coordination/runMeeting.js';
import type { MeetingRunner } from './coordination/meetingRunner.js';
import { TopicStore } from './store/topicStore.js';
import type { MeetingStatus } from '../db/schema.js';
import { modelProblem } from '../settings/checkModels.js';
import { meetingModels } from './meetingModels.js';

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
  /** A model per attendee, keyed by colleague id, alias or name (parseModelChoices reads the typed form); beats the place's and the role's. */
  models?: Record<string, string>;
  /** Each topic opens with every participant's own position, unseen by the others (default: the meeting type's catalogue flag). */
  independent?: boolean;
  /** Tools the terminal user allows for this meeting (`--tools server.tool,...`): only an operator caller may; pinned when it is created. */
  tools?: string[];
}

/** The model a colleague answers with where the caller is (a place setting), or null. */
export type PlaceModels = (caller: Caller) => Promise<(agentId: string) => string | null>;

const operator = (): Caller => cliCaller();
const unknown = (id: string) => new CouncilError('unknown_meeting', `unknown meeting "${id.slice(0, 80)}"; council meeting list shows them`);

/**
 * Meetings for every face: each method takes the caller and decides access
 * here (core/meetings/meetingAccess.ts), once per meeting. Without a caller
 * the library acts as the local operator, like the CLI.
 */
export class MeetingsService {
  private readonly controls: MeetingControls;
  private readonly topics: TopicStore;
  private readonly actionItems: ActionItemStore;

  constructor(
    private readonly ctx: CouncilContext,
    private readonly store: MeetingStore,
    /** The one runner of this process: every face's meetings run here, and faces attach to them. */
    readonly runner: MeetingRunner,
    private readonly placeModels: PlaceModels = async () => () => null,
  ) {
    this.controls = new MeetingControls(ctx.database.db, store, ctx.signals, ctx.config.MAX_MESSAGE_CHARS, ctx.log);
    this.topics = new TopicStore(ctx.database.db);
    this.actionItems = new ActionItemStore(ctx.database.db);
  }

  types(): readonly MeetingType[] {
    return meetingTypes;
  }

  /** Validates and stores a pending meeting; the facilitator always attends. */
  async create(input: NewMeeting, caller: Caller = operator()): Promise<MeetingView> {
    const type = getMeetingType(input.type);
    const title = input.title.trim();
    if (!title) throw new CouncilError('bad_usage', 'the meeting needs a title (--title "...")');
    const chosen = (input.participants?.length ? input.participants : type.participants).map((id) => this.ctx.agents.get(id).id);
    const participants = [...new Set(chosen)].filter((id) => id !== type.facilitator);
    if (participants.length === 0) throw new CouncilError('bad_usage', `a ${type.name} needs at least one participant besides the facilitator ${type.facilitator}`);
    const agenda = (input.topics ?? []).map((topic) => topic.trim()).filter(Boolean);
    const models = await this.modelsFor([type.facilitator, ...participants], input.models ?? {}, caller);
    const tools = await this.toolsFor(input.tools ?? [], caller);
    const row = await this.store.create({
      type: type.id,
      title,
      description: input.description ?? null,
      facilitator: type.facilitator,
      participants,
      agenda,
      models,
      independent: input.independent ?? type.independentPositions,
      tools,
      requestedBy: input.requestedBy ?? null,
      ownerId: input.ownerId ?? caller.ownerId,
      guildId: input.guildId ?? caller.guildId,
      autostart: input.autostart ?? false,
      discordChannelId: input.discordChannelId ?? null,
      discordThreadId: input.discordThreadId ?? null,
    });
    return toMeetingView(row, []);
  }

  /**
   * The models the meeting stores per attendee (core/meetings/meetingModels.ts):
   * the ones chosen for it, which must be attendees and installed on every
   * backend, over the place's. Refused in one line naming what is wrong.
   */
  private async modelsFor(attendees: string[], typed: Record<string, string>, caller: Caller): Promise<Record<string, string>> {
    const chosen: Record<string, string> = {};
    for (const [name, model] of Object.entries(typed)) {
      const id = this.ctx.agents.get(name).id;
      if (!attendees.includes(id)) throw new CouncilError('bad_usage', `models: ${id} is not in this meeting (attendees: ${attendees.join(', ')})`);
      chosen[id] = model;
    }
    const problem = await modelProblem(this.ctx.llm.backends, Object.values(chosen));
    if (problem) throw new CouncilError('bad_usage', `models: ${problem}`);
    return meetingModels(attendees, chosen, await this.placeModels(caller));
  }

  /** The tools allowed for the meeting, pinned; refused in one line (not the terminal user, an unknown name) before anything is stored. */
  private async toolsFor(names: string[], caller: Caller): Promise<string[]> {
    if (names.length === 0) return [];
    if (!this.ctx.tools) throw new CouncilError('bad_usage', 'tools are not available in this Council');
    return this.ctx.tools.pinForMeeting(caller, names);
  }

  /** Sets the agenda of a meeting that has not started. */
  async setAgenda(id: string, topics: string[], caller: Caller = operator()): Promise<void> {
    const row = await this.readable(id, caller);
    if (row.status === 'pending') await this.store.update(id, { agenda: topics.map((t) => t.trim()).filter(Boolean) });
  }

  /** The meetings this caller may see, newest first. */
  async list(caller: Caller = operator(), options: { status?: MeetingStatus; limit?: number } = {}): Promise<MeetingSummary[]> {
    const visible = visibleMeetings(caller);
    return (await this.store.list({ ...options, ...(visible ? { visible } : {}) })).map(toMeetingSummary);
  }

  /** A meeting the caller may not see answers as unknown, so its existence does not leak. */
  async get(id: string, caller: Caller = operator()): Promise<MeetingView> {
    const row = await this.readable(id, caller);
    return toMeetingView(row, await this.store.turns(id), await this.topics.list(id));
  }

  /** The meeting held in a Discord thread, if any: whoever is in the thread may see it. */
  async inThread(threadId: string): Promise<MeetingSummary | undefined> {
    const row = await this.store.findByThread(threadId);
    return row ? toMeetingSummary(row) : undefined;
  }

  async attachThread(id: string, thread: { channelId: string; threadId: string }, caller: Caller = operator()): Promise<void> {
    await this.controllable(id, caller);
    await this.store.update(id, { discordChannelId: thread.channelId, discordThreadId: thread.threadId });
  }

  /** Tags a stored turn (the turn_done event's messageId) with the platform's message id. */
  tagTurn(turnId: string, externalId: string): Promise<void> {
    return this.store.setTurnExternalId(turnId, externalId);
  }

  /**
   * The meeting's events from what is stored, on any process: the turns after
   * `afterSeq` replayed as turn_done / human_turn (seq = turn number), then
   * what happens next, until it ends or `signal` fires.
   */
  async follow(id: string, afterSeq: number, signal: AbortSignal, caller: Caller = operator()): Promise<AsyncGenerator<CouncilEvent>> {
    const row = await this.readable(id, caller);
    return followMeeting({ store: this.store, topics: this.topics, signals: this.ctx.signals, agents: this.ctx.agents, pollMs: 2_000 }, row, afterSeq, signal);
  }

  /**
   * Runs a pending meeting or resumes an interrupted one in the foreground, as
   * a stream of events (the CLI, the library). Faces that must not hold a
   * meeting by a request start it on the runner instead.
   */
  run(id: string, options: RunOptions = {}): AsyncGenerator<CouncilEvent> {
    return runMeeting(this.ctx, this.store, id, options);
  }

  /**
   * A person speaks in a meeting: stored in its inbox and signalled, so the
   * runner (on whichever process) makes it a `human` turn before its next turn.
   */
  async post(id: string, text: string, caller: Caller, options: { externalId?: string | null } = {}): Promise<{ id: string; status: MeetingStatus }> {
    await this.readable(id, caller);
    return this.controls.post(id, { speakerId: caller.ownerId, speakerName: caller.name ?? caller.ownerId, text, ...(options.externalId ? { externalId: options.externalId } : {}) });
  }

  /** Stops before the next turn; the turn in flight finishes and is stored. */
  async pause(id: string, caller: Caller = operator()): Promise<MeetingSummary> {
    await this.controllable(id, caller);
    return toMeetingSummary(await this.controls.pause(id));
  }

  /**
   * `needsRunner`: no process holds the meeting, so the caller must run it
   * (run() or runner.start()). Otherwise `holder` has its lease: on Postgres it
   * may be a process that died, which awaitHolder tells apart.
   */
  async resume(id: string, caller: Caller = operator()): Promise<{ meeting: MeetingSummary; needsRunner: boolean; holder: string | null }> {
    await this.controllable(id, caller);
    const { meeting, needsRunner, holder } = await this.controls.resume(id);
    return { meeting: toMeetingSummary(meeting), needsRunner, holder };
  }

  /** Watches another runner's lease on the meeting until that runner shows it is alive, the lease runs out, or maxMs passes. */
  async awaitHolder(id: string, options: AwaitHolderOptions, caller: Caller = operator()): Promise<HolderOutcome> {
    await this.controllable(id, caller);
    return awaitHolder(this.store, id, options);
  }

  /** Works on running, paused and interrupted meetings; the turns so far are kept. */
  async cancel(id: string, caller: Caller = operator()): Promise<MeetingSummary> {
    await this.controllable(id, caller);
    const cancelled = toMeetingSummary(await this.controls.cancel(id));
    this.runner.abort(id);
    return cancelled;
  }

  /** Action items that outlive their meetings, among those the caller may see: open by default. */
  listActions(filter: Omit<ActionItemFilter, 'visibleTo'> = {}, caller: Caller = operator()): Promise<ActionItemView[]> {
    return this.actionItems.list({ ...filter, ...visibleActionItems(caller) });
  }

  /** Marks an item done by its id or an 8+ character prefix, among the items the caller may see. */
  async markActionDone(ref: string, caller: Caller = operator()): Promise<ActionItemView> {
    const found = await this.actionItems.findByRef(ref, visibleActionItems(caller));
    if (found.length === 0) throw new CouncilError('unknown_action_item', `no action item "${ref.slice(0, 80)}"; list them with actions list`);
    if (found.length > 1) throw new CouncilError('bad_usage', `"${ref.slice(0, 80)}" matches ${found.length} action items; give more of the id`);
    const item = found[0]!;
    if (item.status === 'done' || !(await this.actionItems.markDone(item.id, caller.ownerId))) throw new CouncilError('meeting_state', `action item ${item.id.slice(0, 8)} is already done`);
    return { ...item, status: 'done', doneBy: caller.ownerId, doneAt: new Date() };
  }

  /**
   * Reserves the meetings this process should take over now (see
   * MeetingStore.reserveResume): a dead runner's, or interrupted ones whose
   * backoff is due. Each is reserved by one process only; the runner's claim decides the rest.
   */
  async reserveTakeovers(accepts: (meeting: MeetingSummary) => boolean): Promise<Array<MeetingSummary & { runnerId: string | null }>> {
    const reserved: Array<MeetingSummary & { runnerId: string | null }> = [];
    for (const row of await this.store.resumeCandidates(maxResumeAttempts)) {
      if (!accepts(toMeetingSummary(row)) || this.runner.has(row.id)) continue;
      const won = await this.store.reserveResume(row.id, (attempt) => resumeDelayMs(attempt), maxResumeAttempts);
      if (won) reserved.push({ ...toMeetingSummary(won), runnerId: row.runnerId });
    }
    return reserved;
  }

  private async readable(id: string, caller: Caller): Promise<MeetingRow> {
    const row = await this.store.find(id);
    if (!row || !mayReadMeeting(caller, row)) throw unknown(id);
    return row;
  }

  private async controllable(id: string, caller: Caller): Promise<MeetingRow> {
    const row = await this.readable(id, caller);
    if (!mayControlMeeting(caller, row)) throw new CouncilError('forbidden', 'only the person who started this meeting, or members with Manage Threads, can steer it');
    return row;
  }
}
