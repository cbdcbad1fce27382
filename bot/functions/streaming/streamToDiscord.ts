import { splitMessage } from '../messages/splitMessage.js';
import { stripThink } from '../messages/stripThink.js';
import type { PersonaMessage } from '../webhooks/personaChannel.js';

/**
 * Shows a reply as it streams: the first visible text is sent at once, then
 * each message is edited at most once a second; past 2000 characters the text
 * continues in new messages. finish() writes the final text.
 */
export class DiscordStream {
  private raw = '';
  private readonly messages: PersonaMessage[] = [];
  private readonly shown: string[] = [];
  private lastFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (content: string) => Promise<PersonaMessage>,
    private readonly intervalMs = 1_000,
    private readonly prefix = '',
  ) {}

  get messageIds(): string[] {
    return this.messages.map((m) => m.id);
  }

  push(token: string): void {
    this.raw += token;
    if (this.timer) return;
    const wait = this.messages.length === 0 ? 0 : Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    if (wait === 0 && this.messages.length === 0 && stripThink(this.raw).trim() === '') return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, wait);
  }

  async finish(finalText?: string): Promise<string[]> {
    if (finalText !== undefined) this.raw = finalText;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    const needsEdit = this.chunks(true).some((chunk, index) => index < this.messages.length && this.shown[index] !== chunk);
    const waitMs = this.lastFlush + this.intervalMs - Date.now();
    if (needsEdit && waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    await this.flush(true);
    return this.messageIds;
  }

  private chunks(final: boolean): string[] {
    const visible = stripThink(this.raw).trim();
    const text = visible === '' ? (final ? '…' : '') : this.prefix + visible;
    return text === '' ? [] : splitMessage(text);
  }

  private async flush(final = false): Promise<void> {
    const chunks = this.chunks(final);
    if (chunks.length === 0) return;
    this.lastFlush = Date.now();
    for (const [index, content] of chunks.entries()) {
      const message = this.messages[index];
      if (!message) {
        this.messages.push(await this.send(content));
        this.shown.push(content);
      } else if (this.shown[index] !== content) {
        await message.edit(content);
        this.shown[index] = content;
      }
    }
  }
}
