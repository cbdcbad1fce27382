import { sql } from 'drizzle-orm';
import { CouncilError, describeError, ShutdownError, toCouncilError } from '../../errors.js';
import type { CouncilEvent } from '../../events.js';
import { replyReserveTokens } from '../../llm/replyReserveTokens.js';
import { memoryScopeForMeeting } from '../../memory/scope.js';
import { exportAtZero, metrics } from '../../metrics.js';
import type { CouncilContext } from '../../orchestrator/context.js';
import { getMeetingType, meetingTypes } from '../catalogue.js';
import { fallbackReasons, pickSources } from '../engine/askFacilitator.js';
import { buildTranscript } from '../engine/buildTranscript.js';
import { citeEvidence } from '../engine/citeEvidence.js';
import { conductTopics } from '../engine/conductTopics.js';
import { generateMinutes } from '../engine/generateMinutes.js';
import type { TurnStore } from '../engine/ports.js';
import type { StoredMinutes } from '../../events.js';
import { renderMinutesMarkdown } from '../engine/renderMinutesMarkdown.js';
import { topicParticipation } from '../engine/topicParticipation.js';
import { ActionItemStore } from '../store/actionItemStore.js';
import { ControlStore } from '../store/controlStore.js';
import { InboxStore } from '../store/inboxStore.js';
import { LateMessagesError, type MeetingStore } from '../store/meetingStore.js';
import { TopicStore } from '../store/topicStore.js';
import { modelsBySpeaker, speakerModel } from '../meetingModels.js';
import { llmMeetingModel } from './llmMeetingModel.js';
import { MeetingFloor } from './meetingFloor.js';
import { leaseTimings, MeetingLease } from './meetingLease.js';
import { Wake } from './wake.js';

/** council_meetings_total{outcome}: how a meeting ended (a pause is no end); exported at 0 for every catalogue type. */
export const meetingOutcomes = ['completed', 'cancelled', 'interrupted', 'failed'] as const;
const countMeeting = (type: string, outcome: (typeof meetingOutcomes)[number]) => metrics.meetings.inc({ type, outcome });
exportAtZero(metrics.meetings, { type: meetingTypes.map((type) => type.id), outcome: meetingOutcomes });
// Both exported at 0 from start: FacilitatorFallbackRateHigh divides one by the other.
exportAtZero(metrics.facilitatorFallbacks, { reason: fallbackReasons });
exportAtZero(metrics.facilitatorPicks, { source: pickSources });

/** The engine reports what it decided as events; the counters are kept here, beside the run. */
function countEvent(type: string, event: CouncilEvent): void {
  if (event.type === 'turn_done') metrics.meetingTurns.inc({ type });
  if (event.type !== 'next_speaker') return;
  metrics.facilitatorPicks.inc({ source: event.source });
  if (event.fallback) metrics.facilitatorFallbacks.inc({ reason: event.fallback });
}

export { runnerId } from '../../runnerId.js';

export interface RunOptions {
  /** Cancels at once: the model call in flight stops (with a ShutdownError as reason the meeting stays resumable). */
  signal?: AbortSignal;
  /** Stops before the next turn, after the one in flight is stored: a graceful shutdown. The meeting stays resumable (or paused). */
  drain?: AbortSignal;
}

/**
 * Runs a pending meeting, or resumes a paused or interrupted one from its
 * stored turns (see conductTopics: every step is derived from what is stored,
 * so a resumed meeting never redoes a turn), then writes cited minutes.
 */
export async function* runMeeting(ctx: CouncilContext, store: MeetingStore, meetingId: string, options: RunOptions = {}): AsyncGenerator<CouncilEvent> {
  const { drain } = options;
  const found = await store.find(meetingId);
  if (found && found.agenda.length === 0) throw new CouncilError('no_topic', 'the meeting has no topic; give at least one (--topic "...")');
  // One atomic claim decides the runner; a lost lease aborts the model call and every later write.
  const { lease, row: meeting, previous } = await MeetingLease.claim(store, meetingId, { timings: leaseTimings(ctx.config), log: ctx.log });
  // A cancel from any process arrives as a stored control plus a signal; the signal stops the model call in flight.
  const cancel = new AbortController();
  const signal = AbortSignal.any([cancel.signal, lease.signal, ...(options.signal ? [options.signal] : [])]);
  // The meeting's own choice of independent positions beats its type's.
  const catalogued = getMeetingType(meeting.type);
  const type = { ...catalogued, independentPositions: meeting.independent ?? catalogued.independentPositions };
  const resumed = previous.status !== 'pending';
  const db = ctx.database.db;
  const name = (id: string) => ctx.agents.find(id)?.name ?? id;
  // Until the try below owns the lease, a failed read (the database away) must stop its renewals: held on, nobody would run the meeting.
  const [turns, carriedItems, grant] = await Promise.all([store.turns(meetingId), new ActionItemStore(db).carriedInto(meeting), ctx.tools?.grantForMeeting(meeting) ?? null]).catch((error: unknown) => {
    lease.release();
    throw error;
  });
  const wake = new Wake(ctx.signals, meetingId, (s) => {
    if (s.type === 'control' && s.control === 'cancel') cancel.abort(new CouncilError('cancelled', 'the meeting was cancelled'));
  });
  const carried = carriedItems.map(
    (item) => `${item.task} (owner: ${item.ownerName ?? name(item.owner)}${item.due ? `, due ${item.due}` : ''}; from "${item.meetingTitle}", item ${item.id.slice(0, 8)})`,
  );
  const topics = new TopicStore(db);
  const record: TurnStore = {
    addTurn: (turn) => store.addTurn({ ...turn, meetingId }, lease.runner),
    closeTopic: (topicIndex, closedBy, reason) => topics.close(meetingId, topicIndex, closedBy, reason),
    closedTopics: () => topics.list(meetingId),
  };
  const floor = new MeetingFloor({
    meetingId,
    runner: lease.runner,
    store,
    inbox: new InboxStore(db),
    controls: new ControlStore(db),
    wake,
    signal,
    ...(drain ? { drain } : {}),
    humanWaitMs: ctx.config.MEETING_HUMAN_WAIT_MS,
  });
  // Built-in searches and approvals act for whoever started the meeting, where it runs.
  const owner = { ownerId: meeting.ownerId ?? 'legacy', name: null, guildId: meeting.guildId, placeId: meeting.discordThreadId ?? meeting.discordChannelId, place: { threadId: meeting.discordThreadId, channelId: meeting.discordChannelId, categoryId: null } };
  const tools = ctx.tools && grant && grant.entries.length > 0 ? { service: ctx.tools, use: { grant, caller: owner, where: `meeting:${meetingId}` } } : undefined;
  const model = llmMeetingModel(
    ctx.llm,
    `meeting:${meetingId}`,
    {
      facilitator: ctx.config.FACILITATOR_MODEL,
      speaker: (agentId) => speakerModel(meeting.models ?? {}, ctx.agents.get(agentId)),
      onMissing: (missing, use) => ctx.log.warn({ meetingId, model: missing, use }, `model ${missing} is not installed on Ollama: ${use} speaks with ${ctx.llm.model} in this meeting; run: ollama pull ${missing}`),
    },
    tools,
  );

  metrics.meetingsRunning.inc();
  const attendees = [meeting.facilitator, ...meeting.participants];

  try {
    // Inside the try: a face that stops listening here still gets the lease released and the wake closed.
    yield { type: 'meeting_started', meetingId, meetingType: type.id, title: meeting.title, facilitator: meeting.facilitator, participants: meeting.participants, agenda: meeting.agenda, resumed };
    for await (const event of conductTopics({ meeting, type, agents: ctx.agents, turns, store: record, model, floor, contextTokens: ctx.config.CONTEXT_TOKENS, carried, signal })) {
      countEvent(type.id, event);
      yield event;
    }
    // Posts that arrived during the last summary are heard by the minutes.
    const takeIn = async function* (): AsyncGenerator<CouncilEvent, number> {
      const heard = yield* floor.checkpoint({ topicIndex: Math.max(0, meeting.agenda.length - 1), round: type.roundsPerTopic + 1, nextSeq: (turns.at(-1)?.seq ?? 0) + 1, force: true });
      turns.push(...heard);
      return heard.length;
    };
    yield* takeIn();
    const people = new Map(turns.filter((t) => t.kind === 'human' && t.speakerId).map((t) => [t.speakerId!, t.speakerName ?? t.speakerId!]));
    const owners = [...attendees, ...people.keys()];
    const names = Object.fromEntries([...attendees.map((id) => [id, name(id)]), ...people.entries()]);
    const minutes: StoredMinutes = citeEvidence(
      await generateMinutes(model, {
        type,
        title: meeting.title,
        attendees: owners,
        names,
        transcript: buildTranscript(turns, meeting.agenda, ctx.agents, Math.max(512, ctx.config.CONTEXT_TOKENS - replyReserveTokens - 600)),
        signal,
      }),
      turns,
    );
    const models = modelsBySpeaker(turns);
    if (Object.keys(models).length > 0) minutes.models = models;
    const written = turns.length;
    // Posts while the minutes were written, and any that race the completion (complete() refuses while one waits), are kept as "after the meeting".
    for (;;) {
      yield* takeIn();
      const late = turns.slice(written).filter((t) => t.kind === 'human');
      if (late.length > 0) minutes.after_meeting = late.map((t) => ({ seq: t.seq, speaker: t.speakerName ?? t.speakerId ?? 'someone', text: t.content }));
      try {
        await lease.complete(minutes, people);
        break;
      } catch (error) {
        if (!(error instanceof LateMessagesError)) throw error;
      }
    }
    for (const decision of minutes.decisions) {
      for (const agentId of attendees) {
        await ctx.memories.add({ agentId, kind: 'decision', importance: 0.9, scope: memoryScopeForMeeting(meeting), subject: meeting.title, content: `Decided in "${meeting.title}" (${type.name}): ${decision.decision}${decision.rationale ? `, because ${decision.rationale}` : ''}` });
      }
    }
    const ends = (await topics.list(meetingId)).map((t) => {
      const { spoke, unheard } = topicParticipation(turns, t.topicIndex, meeting.participants, t.closedBy);
      return { topic: meeting.agenda[t.topicIndex] ?? '', closedBy: t.closedBy, reason: t.reason, spoke: spoke.map((s) => s.id), unheard };
    });
    const slots = ends.length * meeting.participants.length;
    if (slots > 0) metrics.meetingParticipation.observe({ type: type.id }, ends.reduce((sum, t) => sum + t.spoke.length, 0) / slots);
    const markdown = renderMinutesMarkdown({ title: meeting.title, typeName: type.name, date: new Date(), participants: attendees, people: [...people.keys()], minutes, agentNames: names, topics: ends });
    yield { type: 'minutes', meetingId, minutes, markdown };
    countMeeting(type.id, 'completed');
    yield { type: 'meeting_ended', meetingId, status: 'completed' };
  } catch (error) {
    if (lease.lost) {
      // Another process runs it now: say so, write nothing.
      yield { type: 'meeting_ended', meetingId, status: 'interrupted', error: 'another process took over this meeting' };
      return;
    }
    const failure = toCouncilError(error);
    const shutdown = failure instanceof ShutdownError || signal.reason instanceof ShutdownError || Boolean(drain?.aborted);
    // Paused and shut down: it stays paused, so a restart does not start it again by itself.
    const status = shutdown ? (floor.paused ? 'paused' : 'interrupted') : failure.code === 'cancelled' || signal.aborted ? 'cancelled' : failure.code === 'bad_structured_output' ? 'failed' : 'interrupted';
    const ended = status === 'interrupted' || status === 'paused' ? null : (sql`now()` as never);
    // A shutdown is no failure: the next process may resume at once. A failure keeps the backoff its reservation set.
    await lease.finish({ status, error: status === 'paused' ? null : failure.message, endedAt: ended, ...(status === 'cancelled' ? { control: null } : {}), ...(status === 'interrupted' && shutdown ? { nextAttemptAt: null } : {}) }).catch((finishError: unknown) => {
      // The lease runs out and a supervisor takes the meeting over; say why it stays `running` until then.
      metrics.backgroundFailures.inc({ task: 'meeting-finish' });
      ctx.log.warn({ meetingId, status, err: describeError(finishError) }, 'could not store the meeting\'s end status');
    });
    if (status !== 'paused') countMeeting(type.id, status);
    if (status !== 'cancelled' && !shutdown) yield { type: 'error', meetingId, code: failure.code, message: failure.message };
    yield { type: 'meeting_ended', meetingId, status, error: failure.message };
  } finally {
    wake.close();
    lease.release();
    metrics.meetingsRunning.dec();
  }
}
