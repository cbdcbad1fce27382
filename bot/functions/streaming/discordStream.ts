import type { Logger } from '../../../core/log.js';
import { ownTask } from '../../../core/tasks/ownTask.js';
import { isBlocked, isDeletedMessage, isGone, noteDiscordError } from '../discord/discordErrors.js';
import { closeOpenFence } from '../messages/fences.js';
import { splitMessage } from '../messages/splitMessage.js';
import { stripThink } from '../messages/stripThink.js';
import type { PersonaMessage } from '../webhooks/personaWebhooks.js';

export type StreamOutcome = 'done' | 'failed' | 'stopped';

export interface StreamOptions {
  send: (content: string) => Promise<PersonaMessage>;
  log: Logger;
  /** Characters one message may hold: 2000 less any name prefix the sender adds. */
  room?: number;
  intervalMs?: number;
  /** Shown before the answer (a quote of the question), counted before splitting. */
  prefix?: string;
  /** Tells the stream when one of its messages is deleted (Removals.watchMessage); returns the way to stop watching. */
  watch?: (messageId: string, onRemoved: () => void) => () => void;
  /** Someone deleted one of the answer's messages: the stream has stopped posting for good. */
  onRemoved?: () => void;
}

const outcomeNote: Record<Exclude<StreamOutcome, 'done'>, string> = {
  failed: '\n\n-# ⚠️ The answer was cut short: generating it failed.',
  stopped: '\n\n-# ⏹️ Stopped before the answer was finished.',
};

/**
 * Shows a reply as it streams: the first visible text is sent at once, then
 * each message is edited at most once per interval; past the room of one
 * message the text continues in new ones. Every Discord call is owned here:
 * a message someone deletes (seen on the gateway, or as Unknown Message on
 * the next edit) ends the stream, never reposted: that is a moderator's
 * decision; a webhook that went is replaced by a new message; a channel that
 * refuses (permissions, locked thread) stops the stream and is reported by
 * finish(); and nothing rejects out of a timer.
 */
export class DiscordStream {
  private raw = '';
  private readonly messages: PersonaMessage[] = [];
  private readonly shown: string[] = [];
  private lastFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  /** A flush is waiting for its time or running; tokens meanwhile are picked up by it or the next. */
  private scheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private outcome: StreamOutcome = 'done';
  private blockedBy: unknown;
  private removed = false;
  private readonly unwatch: Array<() => void> = [];
  private readonly intervalMs: number;

  constructor(private readonly options: StreamOptions) {
    this.intervalMs = options.intervalMs ?? 1_000;
  }

  get messageIds(): string[] {
    return this.messages.map((m) => m.id);
  }

  /** The Discord error that stopped the stream (nothing more can be posted where it streams), if any. */
  get blocked(): unknown {
    return this.blockedBy;
  }

  /** Someone deleted one of its messages: nothing more is posted. */
  get wasRemoved(): boolean {
    return this.removed;
  }

  push(token: string): void {
    this.raw += token;
    // One flush at a time, timed from when the previous one ended: an edit held in the webhook's line is not followed at once by another.
    if (this.scheduled || this.blockedBy || this.removed) return;
    const wait = this.messages.length === 0 ? 0 : Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    if (wait === 0 && this.messages.length === 0 && stripThink(this.raw).trim() === '') return;
    this.scheduled = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => ownTask(this.options.log, 'discord-stream-flush', () => this.flush())).finally(() => (this.scheduled = false));
    }, wait);
  }

  /**
   * Writes the final text (marked when generation failed or was stopped), unless
   * someone deleted the answer; resolves with the message ids, never rejects.
   */
  async finish(finalText?: string, outcome: StreamOutcome = 'done'): Promise<{ messageIds: string[]; blocked?: unknown; removed?: true }> {
    if (finalText !== undefined) this.raw = finalText;
    this.outcome = outcome;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    const needsEdit = this.chunks(true).some((chunk, index) => index < this.messages.length && this.shown[index] !== chunk);
    const waitMs = this.lastFlush + this.intervalMs - Date.now();
    if (needsEdit && waitMs > 0 && !this.removed) await new Promise((resolve) => setTimeout(resolve, waitMs));
    // A failed answer that never showed anything stays unsent: the caller reports the error instead.
    if (!this.removed && (outcome === 'done' || this.messages.length > 0)) await ownTask(this.options.log, 'discord-stream-finish', () => this.flush(true));
    for (const stop of this.unwatch.splice(0)) stop();
    return { messageIds: this.messageIds, ...(this.blockedBy ? { blocked: this.blockedBy } : {}), ...(this.removed ? { removed: true as const } : {}) };
  }

  /**
   * Where it streams is gone (a deleted or archived thread): nothing more is
   * posted, and nobody is told. Resolves when a call already under way has
   * ended.
   */
  abandon(): Promise<void> {
    this.removed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const stop of this.unwatch.splice(0)) stop();
    return this.flushing;
  }

  private chunks(final: boolean): string[] {
    const visible = stripThink(this.raw).trim();
    const note = final && this.outcome !== 'done' ? outcomeNote[this.outcome] : '';
    // An answer cut short inside a code block is closed before the note, or the note would show as code.
    const text = visible === '' ? (final ? `…${note}` : '') : (this.options.prefix ?? '') + (note ? closeOpenFence(visible) : visible) + note;
    return text === '' ? [] : splitMessage(text, this.options.room ?? 2000);
  }

  private async flush(final = false): Promise<void> {
    if (this.blockedBy || this.removed) return;
    const chunks = this.chunks(final);
    if (chunks.length === 0) return;
    this.lastFlush = Date.now();
    for (const [index, content] of chunks.entries()) {
      if (this.removed) return;
      const message = this.messages[index];
      if (message && this.shown[index] === content) continue;
      try {
        if (message) await message.edit(content);
        else this.keep(await this.options.send(content));
        this.shown[index] = content;
      } catch (error) {
        // An edit in flight when the deletion was seen fails as expected.
        if (this.removed) return;
        noteDiscordError(this.options.log, message ? 'stream edit' : 'stream send', error);
        if (message && isDeletedMessage(error)) {
          // Deleted before the gateway told us: the same decision as a deletion seen there.
          this.markRemoved();
          return;
        }
        if (message && isGone(error) && (await this.replace(index, content))) continue;
        // An edit that failed for a passing reason (5xx after retries) is retried by the next flush.
        if (!message || isBlocked(error)) this.blockedBy = error;
        return;
      }
    }
    // Pace from when Discord took the edit: one held in a rate-limit queue must not be followed at once by the next.
    this.lastFlush = Date.now();
  }

  private keep(message: PersonaMessage): void {
    this.messages.push(message);
    if (this.options.watch) this.unwatch.push(this.options.watch(message.id, () => this.markRemoved()));
  }

  private markRemoved(): void {
    if (this.removed) return;
    this.removed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.options.onRemoved?.();
  }

  /** The webhook went (its messages stay): the text continues in a new message. */
  private async replace(index: number, content: string): Promise<boolean> {
    try {
      this.messages[index] = await this.options.send(content);
      if (this.options.watch) this.unwatch.push(this.options.watch(this.messages[index]!.id, () => this.markRemoved()));
      this.shown[index] = content;
      return true;
    } catch (error) {
      noteDiscordError(this.options.log, 'stream resend', error);
      this.blockedBy = error;
      return false;
    }
  }
}
