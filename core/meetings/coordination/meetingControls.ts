import type { Db } from '../../db/database.js';
import { CouncilError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { metrics } from '../../metrics.js';
import { refuseNul } from '../../refuseNul.js';
import { ownTask } from '../../tasks/ownTask.js';
import { ControlStore } from '../store/controlStore.js';
import { InboxStore, type InboxMessage } from '../store/inboxStore.js';
import type { MeetingSignals } from './meetingSignals.js';
import type { MeetingRow, MeetingStore } from '../store/meetingStore.js';

const open = ['pending', 'running', 'paused', 'interrupted'] as const;

/**
 * What people do to a meeting from any face, on any process: speak, pause,
 * resume, cancel. Each request is stored first, then signalled, so the runner
 * (wherever it is) reads it at its next checkpoint even if the signal is lost.
 */
export class MeetingControls {
  private readonly controls: ControlStore;
  private readonly inbox: InboxStore;

  constructor(
    db: Db,
    private readonly meetings: MeetingStore,
    private readonly signals: MeetingSignals,
    private readonly maxChars: number,
    private readonly log: Logger,
  ) {
    this.controls = new ControlStore(db);
    this.inbox = new InboxStore(db);
  }

  private async find(id: string): Promise<MeetingRow> {
    const row = await this.meetings.find(id);
    if (!row) throw new CouncilError('unknown_meeting', `unknown meeting "${id}"; council meeting list shows them`);
    return row;
  }

  /** A person's message: heard by every later turn once the runner takes it in before its next turn. */
  async post(meetingId: string, message: InboxMessage): Promise<{ id: string; status: MeetingRow['status'] }> {
    const text = message.text.trim();
    if (!text) throw new CouncilError('bad_usage', 'the message is empty; write what you want to say');
    refuseNul('the message', text);
    if (text.length > this.maxChars) throw new CouncilError('message_too_long', `the message is ${text.length} characters; a meeting takes ${this.maxChars}. Shorten or split it`);
    const row = await this.find(meetingId);
    const ended = (status: string) => new CouncilError('meeting_state', `meeting ${meetingId} had ended (${status}) before your message arrived; it was not added. Start a new meeting to discuss it`);
    if (!(open as readonly string[]).includes(row.status)) throw ended(row.status);
    const posted = await this.inbox.post(meetingId, { ...message, text, speakerName: message.speakerName.trim().slice(0, 100) || message.speakerId }, open);
    if ('refused' in posted) throw ended(posted.refused);
    const { id } = posted;
    await this.wake(meetingId, { type: 'inbox' });
    return { id, status: row.status };
  }

  async pause(meetingId: string): Promise<MeetingRow> {
    const row = await this.controls.request(meetingId, 'pause', ['running', 'pending']);
    if (!row) {
      const current = await this.find(meetingId);
      if (current.status === 'paused') return current;
      throw new CouncilError('meeting_state', `meeting ${meetingId} is ${current.status}; only a running meeting can be paused`);
    }
    await this.wake(meetingId, { type: 'control', control: 'pause' });
    return row;
  }

  /**
   * Clears the pause. `needsRunner` is true when no process holds the meeting
   * (it was paused across a restart, it is interrupted, or on PGlite its lease
   * is a dead process's): the caller starts it with runMeeting; otherwise
   * `holder`, the runner with the lease, carries on by itself if it is alive.
   */
  async resume(meetingId: string): Promise<{ meeting: MeetingRow; needsRunner: boolean; holder: string | null }> {
    const row = await this.controls.request(meetingId, null, ['running', 'paused', 'interrupted', 'pending']);
    if (!row) {
      const current = await this.find(meetingId);
      throw new CouncilError('meeting_state', `meeting ${meetingId} is ${current.status}; only a paused or interrupted meeting can be resumed`);
    }
    await this.wake(meetingId, { type: 'control', control: 'resume' });
    const holder = this.meetings.holder(row);
    return { meeting: row, needsRunner: holder === null, holder };
  }

  /** Ends the meeting for good, whether it runs, waits paused or sits interrupted; the turns so far are kept. */
  async cancel(meetingId: string): Promise<MeetingRow> {
    const idle = await this.controls.cancelIdle(meetingId);
    if (idle) {
      metrics.meetings.inc({ type: idle.type, outcome: 'cancelled' });
      await this.wake(meetingId, { type: 'status', status: 'cancelled' });
      return idle;
    }
    const row = await this.controls.request(meetingId, 'cancel', ['running', 'paused', 'pending']);
    if (!row) {
      const current = await this.find(meetingId);
      throw new CouncilError('meeting_state', `meeting ${meetingId} is already ${current.status}`);
    }
    await this.wake(meetingId, { type: 'control', control: 'cancel' });
    return row;
  }

  /** The request is stored; a lost signal only delays it until the runner's next checkpoint. */
  private async wake(meetingId: string, signal: Parameters<MeetingSignals['publish']>[1]): Promise<void> {
    await ownTask(this.log, 'meeting-signal', () => this.signals.publish(meetingId, signal));
  }
}
