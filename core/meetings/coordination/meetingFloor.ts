import { CouncilError, ShutdownError } from '../../errors.js';
import type { CouncilEvent } from '../../events.js';
import type { Floor } from '../engine/ports.js';
import type { MeetingStore, TurnRow } from '../store/meetingStore.js';
import type { ControlStore } from '../store/controlStore.js';
import type { InboxStore } from '../store/inboxStore.js';
import type { Wake } from './wake.js';

/** How often a waiting runner re-reads the row when no signal came: the backstop for a lost signal. */
const pollMs = 2_000;

/**
 * The engine's floor in a real run: between turns it stops for a shutdown or
 * a cancel, waits while paused (no model request until resumed), and stores
 * people's waiting messages as turns, all from the stored row and inbox, woken
 * by the meeting's signals.
 */
export class MeetingFloor implements Floor {
  /** True while the runner waits paused: a shutdown then leaves the meeting paused. */
  paused = false;
  /** The doorbell count and time of the last read of the row: with no signal since and a fresh read, a checkpoint costs no query. */
  private checked?: { mark: number; at: number };

  constructor(
    private readonly deps: {
      meetingId: string;
      runner: string;
      store: MeetingStore;
      inbox: InboxStore;
      controls: ControlStore;
      wake: Wake;
      signal: AbortSignal;
      drain?: AbortSignal;
      /** How long the facilitator's question to the people waits for an answer. */
      humanWaitMs: number;
    },
  ) {}

  async *checkpoint(at: { topicIndex: number; round: number; nextSeq: number; force?: boolean }): AsyncGenerator<CouncilEvent, TurnRow[]> {
    const { meetingId, runner, store, controls, wake } = this.deps;
    this.stopIfAsked();
    // Requests arrive with a signal; without one, the row is re-read at least every pollMs in case a signal was lost.
    if (!at.force && this.checked && this.checked.mark === wake.mark && Date.now() - this.checked.at < pollMs) return [];
    this.checked = { mark: wake.mark, at: Date.now() };
    const heard: TurnRow[] = [];
    let row = await store.find(meetingId);
    if (row?.control === 'cancel') throw new CouncilError('cancelled', 'the meeting was cancelled');
    if (row?.control === 'pause') {
      await controls.setHeldStatus(meetingId, runner, 'paused');
      this.paused = true;
      yield { type: 'meeting_paused', meetingId };
      for (;;) {
        const mark = wake.mark;
        yield* this.takeInbox(at, heard);
        row = await store.find(meetingId);
        if (row?.control !== 'pause') break;
        await wake.wait(pollMs, [this.deps.signal, this.deps.drain], mark);
        this.stopIfAsked();
      }
      if (row?.control === 'cancel') throw new CouncilError('cancelled', 'the meeting was cancelled');
      await controls.setHeldStatus(meetingId, runner, 'running');
      this.paused = false;
      yield { type: 'meeting_resumed', meetingId };
    }
    yield* this.takeInbox(at, heard);
    return heard;
  }

  async *awaitPeople(topicIndex: number): AsyncGenerator<CouncilEvent> {
    const { meetingId, store, inbox, wake, humanWaitMs } = this.deps;
    yield { type: 'waiting_for_people', meetingId, topicIndex, waitMs: humanWaitMs };
    const deadline = Date.now() + humanWaitMs;
    while (Date.now() < deadline) {
      this.stopIfAsked();
      const mark = wake.mark;
      if ((await inbox.pendingCount(meetingId)) > 0) return;
      const row = await store.find(meetingId);
      if (row?.control) return;
      await wake.wait(Math.min(pollMs, deadline - Date.now()), [this.deps.signal, this.deps.drain], mark);
    }
  }

  /** People's waiting messages stored as turns, numbered on from `at.nextSeq` and the turns already `heard`. */
  private async *takeInbox(at: { topicIndex: number; round: number; nextSeq: number }, heard: TurnRow[]): AsyncGenerator<CouncilEvent> {
    const { meetingId, runner, inbox } = this.deps;
    for (const turn of await inbox.drain(meetingId, at.nextSeq + heard.length, at.topicIndex, at.round, runner)) {
      heard.push(turn);
      yield { type: 'human_turn', meetingId, topicIndex: at.topicIndex, seq: turn.seq, speakerId: turn.speakerId ?? '', speakerName: turn.speakerName ?? '', content: turn.content, externalId: turn.externalId };
    }
  }

  private stopIfAsked(): void {
    if (this.deps.drain?.aborted) throw new ShutdownError('the process is shutting down; the meeting will resume from here');
    if (this.deps.signal.aborted) throw new CouncilError('cancelled', 'the meeting was cancelled');
  }
}
