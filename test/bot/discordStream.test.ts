import { describe, expect, it } from 'vitest';
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
});
