import type { TextChannel, ThreadChannel } from 'discord.js';
import type { ModelsService } from '../../../core/llm/modelsService.js';
import type { Logger } from '../../../core/log.js';
import { isBlocked, noteDiscordError } from '../discord/discordErrors.js';

/** Past this wait, the person is told their place in line. */
export const showPositionAfterMs = 2_000;
/** Discord shows "is typing…" for 10 s per call. */
const typingEveryMs = 8_000;

/** Where the place in line is shown: a note in the channel, or the command's own (deferred) reply. */
export interface QueueNotice {
  show(text: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * What a person sees while their answer waits and is written: the typing
 * indicator from the start to the end, and after 2 s in line a note with
 * their place (behind other questions in the channel, then behind other
 * calls for a model slot), updated as it moves and removed when the answer
 * starts. Never throws: a Discord refusal is counted and the indicator stops.
 */
export class QueueStatus {
  private gatePosition: number | null = null;
  private inGate = true;
  private generating = false;
  private shown: string | null = null;
  private readonly typingTimer: NodeJS.Timeout;
  private readonly positionTimer: NodeJS.Timeout;
  private unwatch: () => void = () => {};
  private updating: Promise<void> = Promise.resolve();
  private due = false;
  private stopped = false;

  constructor(
    private readonly input: { channel: TextChannel | ThreadChannel; log: Logger; models: ModelsService; lane: string; notice?: QueueNotice },
  ) {
    this.typing();
    this.typingTimer = setInterval(() => this.typing(), typingEveryMs);
    this.positionTimer = setTimeout(() => {
      this.due = true;
      this.refresh();
    }, showPositionAfterMs);
  }

  /** The gate's report of the place in its line (null: this request now runs, and waits for a model slot). */
  onGatePosition = (position: number | null): void => {
    this.gatePosition = position;
    if (position === null && this.inGate) {
      this.inGate = false;
      this.unwatch = this.input.models.watchQueues(() => this.refresh());
    }
    this.refresh();
  };

  /** The first token arrived: no more place in line to show. */
  started(): void {
    if (this.generating) return;
    this.generating = true;
    this.refresh();
  }

  /** The answer is done (or failed): the indicator stops and the note goes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.generating = true;
    clearInterval(this.typingTimer);
    clearTimeout(this.positionTimer);
    this.unwatch();
    this.refresh();
    await this.updating;
  }

  private position(): number | null {
    if (this.inGate) return this.gatePosition;
    return this.input.models.queuePosition(this.input.lane);
  }

  private refresh(): void {
    const notice = this.input.notice;
    if (!notice) return;
    const position = this.generating || !this.due ? null : this.position();
    const text = position === null ? null : `⏳ Waiting in line: you are number ${position}. The answer starts as soon as it is your turn.`;
    if (text === this.shown) return;
    const had = this.shown;
    this.shown = text;
    this.updating = this.updating.then(async () => {
      try {
        if (text) await notice.show(text);
        else if (had) await notice.clear();
      } catch (error) {
        noteDiscordError(this.input.log, 'queue notice', error, { channel: this.input.channel.id });
      }
    });
  }

  private typing(): void {
    if (this.stopped) return;
    this.input.channel.sendTyping().catch((error: unknown) => {
      noteDiscordError(this.input.log, 'typing', error, { channel: this.input.channel.id });
      if (isBlocked(error)) clearInterval(this.typingTimer);
    });
  }
}
