import { describe, expect, it, vi } from 'vitest';
import { DiscordStream } from '../../bot/functions/streaming/discordStream.js';
import { createLogger } from '../../core/log.js';
import { waitFor } from '../support/waitFor.js';

/** A stream whose messages are kept as Discord would show them last. */
function recordingStream() {
  const shown: string[] = [];
  const stream = new DiscordStream({
    log: createLogger('silent'),
    intervalMs: 0,
    send: async (content) => {
      const index = shown.push(content) - 1;
      return { id: String(index), edit: async (text) => void (shown[index] = text) };
    },
  });
  return { stream, shown };
}

describe('DiscordStream', () => {
  it('closes a code block an answer was stopped in before the note, so the note is not shown as code', async () => {
    const { stream, shown } = recordingStream();
    stream.push('Try this: ```ts\nconst');
    await waitFor('the first message', () => shown.length > 0);
    const { messageIds } = await stream.finish('Try this: ```ts\nconst a = 1;', 'stopped');
    expect(messageIds).toHaveLength(1);
    expect(shown[0]).toBe('Try this: ```ts\nconst a = 1;\n```\n\n-# ⏹️ Stopped before the answer was finished.');
  });

  it('leaves a finished answer with closed blocks as it was', async () => {
    const { stream, shown } = recordingStream();
    stream.push('Use ```npm');
    await waitFor('the first message', () => shown.length > 0);
    await stream.finish('Use ```npm ci``` here.', 'failed');
    expect(shown[0]).toBe('Use ```npm ci``` here.\n\n-# ⚠️ The answer was cut short: generating it failed.');
  });

  it('shows the first text at once, then edits at most once per interval, and the whole answer at the end', async () => {
    // The stream's clock, faked: the pacing is checked exactly, whatever the machine's load.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const calls: Array<{ at: number; content: string }> = [];
      const stream = new DiscordStream({
        log: createLogger('silent'),
        intervalMs: 1_000,
        send: async (content) => {
          calls.push({ at: Date.now(), content });
          return { id: 'm1', edit: async (text) => void calls.push({ at: Date.now(), content: text }) };
        },
      });
      const start = Date.now();
      let text = '';
      for (let i = 0; i < 35; i++) {
        text += `word${i} `;
        stream.push(`word${i} `);
        await vi.advanceTimersByTimeAsync(100);
      }
      await Promise.all([stream.finish(), vi.advanceTimersByTimeAsync(1_000)]);
      expect(calls[0]!.at).toBe(start);
      for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
      // 3.5 s of tokens: the first message and an edit each second after it, then the final text.
      expect(calls.length).toBe(5);
      expect(calls.at(-1)!.content).toBe(text.trim());
    } finally {
      vi.useRealTimers();
    }
  });
});
