import { describe, expect, it } from 'vitest';
import { detectPaste } from './detectPaste.js';

describe('detectPaste', () => {
  it('takes a fenced block, a stack trace and a long document for pastes', () => {
    expect(detectPaste('look at this\n```ts\nconst a = 1;\n```')?.what).toBe('code');
    const trace = 'TypeError: x is undefined\n    at run (/app/a.js:1:2)\n    at main (/app/b.js:3:4)\n    at Object.<anonymous> (/app/c.js:5:6)';
    expect(detectPaste(trace)?.what).toBe('log');
    const logs = '2026-01-02 10:00:01 INFO started\n2026-01-02 10:00:02 WARN slow disk\n2026-01-02 10:00:03 ERROR out of memory';
    expect(detectPaste(logs)).toMatchObject({ what: 'log', title: '2026-01-02 10:00:01 INFO started' });
    expect(detectPaste(`# Runbook\n\n${'Restart the service when the queue is full. '.repeat(40)}`)?.what).toBe('document');
  });

  it('leaves things people say alone, long ones too', () => {
    expect(detectPaste('We moved from Postgres 14 to 16 last week.')).toBeNull();
    expect(detectPaste('I prefer short answers; and please, no emojis in the standup notes, they make it hard to read on a phone. Also we deploy on Fridays now that the freeze is over.')).toBeNull();
  });

  it('hashes the paste so the same paste is known again, and cuts the title to one line', () => {
    const diff = `${'-old line;\n+new line;\n'.repeat(3)}`;
    const a = detectPaste(diff);
    expect(a?.hash).toBe(detectPaste(diff)?.hash);
    expect(detectPaste(`\`\`\`\n${'x'.repeat(200)} = 1;\n\`\`\``)?.title.length).toBeLessThanOrEqual(80);
  });
});
