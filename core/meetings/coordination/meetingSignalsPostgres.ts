import { z } from 'zod';
import { PostgresChannel } from '../../db/postgresChannel.js';
import type { Logger } from '../../log.js';
import { LocalMeetingSignals, meetingSignalSchema, type MeetingSignal, type MeetingSignals } from './meetingSignals.js';

const payloadSchema = z.object({ meetingId: z.string(), signal: meetingSignalSchema });
type Payload = z.infer<typeof payloadSchema>;

/** Meeting signals across every process on one Postgres; runners and followers also re-read the stored row on a timer. */
export class PostgresMeetingSignals implements MeetingSignals {
  private constructor(
    private readonly local: LocalMeetingSignals,
    private readonly channel: PostgresChannel<Payload>,
  ) {}

  static async open(url: string, log: Logger): Promise<PostgresMeetingSignals> {
    const local = new LocalMeetingSignals();
    const channel = await PostgresChannel.open<Payload>({
      url,
      name: 'council_meetings',
      log,
      task: 'meeting-signal',
      parse: (value) => payloadSchema.safeParse(value).data ?? null,
      deliver: ({ meetingId, signal }) => local.publish(meetingId, signal),
    });
    return new PostgresMeetingSignals(local, channel);
  }

  async publish(meetingId: string, signal: MeetingSignal): Promise<void> {
    await this.channel.notify({ meetingId, signal });
  }

  subscribe(meetingId: string, listener: (signal: MeetingSignal) => void): () => void {
    return this.local.subscribe(meetingId, listener);
  }

  async close(): Promise<void> {
    await this.channel.close();
    await this.local.close();
  }
}
