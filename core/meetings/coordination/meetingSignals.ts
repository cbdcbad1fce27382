import { EventEmitter } from 'node:events';
import { z } from 'zod';

/**
 * What one process tells the process running a meeting (or anyone following
 * it). The request itself is always stored first (meetings.control, the
 * meeting_inbox row, the turn): a signal only wakes a listener to read it, so
 * a signal lost in transit delays an action but never loses it.
 */
export const meetingSignalSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('control'), control: z.enum(['pause', 'resume', 'stop', 'cancel']) }),
  /** A person's message was written to meeting_inbox. */
  z.object({ type: z.literal('inbox') }),
  /** A turn was stored (followers on other processes read it by seq). */
  z.object({ type: z.literal('turn'), seq: z.number().int() }),
  /** The meeting changed status (paused, interrupted, completed, ...). */
  z.object({ type: z.literal('status'), status: z.string() }),
]);
export type MeetingSignal = z.infer<typeof meetingSignalSchema>;

/** Delivers meeting signals; on Postgres across processes (LISTEN/NOTIFY), on PGlite within the process. */
export interface MeetingSignals {
  publish(meetingId: string, signal: MeetingSignal): Promise<void>;
  /** Returns the unsubscribe function. Listeners must not throw; errors are theirs to own. */
  subscribe(meetingId: string, listener: (signal: MeetingSignal) => void): () => void;
  close(): Promise<void>;
}

/** In-process delivery: the only kind PGlite needs, since one process owns its data. */
export class LocalMeetingSignals implements MeetingSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(meetingId: string, signal: MeetingSignal): Promise<void> {
    this.emitter.emit(meetingId, signal);
  }

  subscribe(meetingId: string, listener: (signal: MeetingSignal) => void): () => void {
    this.emitter.on(meetingId, listener);
    return () => this.emitter.off(meetingId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
